import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContexts } from "@/db/job-contexts";
import { runJob } from "@/server/job-errors";
import { log } from "@/server/log";

/** The weekly digest of credentials due for rotation (migration 0039), one webhook event per organization. */
export const ROTATION_DIGEST_QUEUE = "credential-digest";
/** Mondays 07:00 UTC: before the working week, well before a weekend's wedding hours. */
export const ROTATION_DIGEST_CRON = "0 7 * * 1";

/** Emits each organization's digest in its job context; returns how many credentials each named. */
export async function rotationDigestJob() {
  const named: Record<string, number> = {};
  for (const ctx of await jobContexts(getDb())) {
    const [row] = await withContext(ctx, (tx) =>
      tx.execute<{ n: number }>(sql`select credential_rotation_digest() as n`),
    );
    if (row.n > 0) named[ctx.organizationId] = row.n;
  }
  if (Object.keys(named).length > 0)
    log.info(
      { event: "credential-digest", organizations: Object.keys(named).length },
      "credential digests sent",
    );
  return named;
}

export async function defineRotationDigest(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(ROTATION_DIGEST_QUEUE, {
    policy: "exclusive",
    retryLimit: 2,
    retryDelay: 600,
    expireInSeconds: 600,
    heartbeatSeconds,
  });
  await boss.schedule(ROTATION_DIGEST_QUEUE, ROTATION_DIGEST_CRON, null, { tz: "UTC" });
}

export async function startRotationDigestWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work(ROTATION_DIGEST_QUEUE, options, () => runJob(ROTATION_DIGEST_QUEUE, rotationDigestJob));
}
