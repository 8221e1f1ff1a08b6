import type { PgBoss } from "pg-boss";
import { type Database, getDb, type Tx } from "@/db/client";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { jobRunnerProofNow } from "@/db/job-contexts";
import {
  dueForPurge,
  markDeleted,
  myDeletedOrganizations,
  purge,
  unmarkDeleted,
} from "@/db/repos/organization-deletion";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { requireCapability } from "@/server/authz";
import { runJob } from "@/server/job-errors";
import { log } from "@/server/log";

/**
 * Deleting an organization (issue 17): an owner, after a step-up and typing its URL name, deletes it; from the
 * next transaction nobody can read or write anything of it (migration 0051: setContext's gate). For 30 days an
 * owner restores it from "Deleted organizations"; then the purge job removes every row of it.
 */
export async function deleteOrganization(tx: Tx, ctx: TenantContext, input: { confirm: string }) {
  requireCapability(ctx, "organization:manage");
  await requireRecentAuth(tx, ctx);
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "organization",
    resourceId: ctx.organizationId,
    details: { grace_days: 30 },
  });
  const purgeAfter = await markDeleted(tx, input.confirm).catch((error: unknown) => {
    if (String((error as { cause?: { code?: string } }).cause?.code ?? "") === "22023")
      throw new AppError("validation", { confirm: ["Type the organization's URL name exactly"] });
    throw error;
  });
  return { purgeAfter: purgeAfter.toISOString() };
}

export const deletedOrganizations = (ctx: RequestContext) =>
  withContext({ userId: ctx.userId }, (tx) => myDeletedOrganizations(tx));

/** An owner restores it within its 30 days; audited in the organization, which is readable again. */
export async function restoreOrganization(ctx: RequestContext, input: { id: string }) {
  const restored = await withContext({ ...ctx, organizationId: undefined }, (tx) =>
    unmarkDeleted(tx, input.id),
  );
  if (!restored) throw new AppError("not_found");
  return withContext({ ...ctx, organizationId: input.id }, async (tx) => {
    await writeAudit(
      tx,
      { ...ctx, organizationId: input.id },
      {
        action: "restore",
        resourceType: "organization",
        resourceId: input.id,
      },
    );
    return { id: input.id };
  });
}

/** The purge job: every organization whose 30 days are over, one transaction each. */
export async function purgeDeletedOrganizations(database: Database = getDb()) {
  const proof = jobRunnerProofNow();
  const purged: string[] = [];
  for (const id of await dueForPurge(database, proof)) {
    const removed = await purge(database, proof, id);
    const rows = Object.values(removed).reduce((n, v) => n + v, 0);
    log.info({ event: "organization-purge", organizationId: id, rows }, "a deleted organization was purged");
    purged.push(id);
  }
  return { purged };
}

export const ORG_PURGE_QUEUE = "organization-purge";

export async function defineOrganizationPurge(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(ORG_PURGE_QUEUE, {
    policy: "exclusive",
    retryLimit: 1,
    retryDelay: 600,
    expireInSeconds: 3600,
    heartbeatSeconds,
  });
  await boss.schedule(ORG_PURGE_QUEUE, "30 3 * * *", null, { tz: "UTC" });
}

export async function startOrganizationPurgeWorker(
  boss: PgBoss,
  options: { pollingIntervalSeconds?: number },
) {
  await boss.work(ORG_PURGE_QUEUE, options, () => runJob(ORG_PURGE_QUEUE, () => purgeDeletedOrganizations()));
}
