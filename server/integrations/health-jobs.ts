import type { Job, PgBoss, Queue } from "pg-boss";
import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContext, jobContexts } from "@/db/job-contexts";
import { integrationsDueForCheck } from "@/db/repos/integration-health";
import { AppError } from "@/lib/errors";
import { isChecked } from "@/lib/integrations/health";
import { CONFIG_TYPES, PLATFORMS } from "@/lib/integrations/platforms";
import { errorSummary, runJob } from "@/server/job-errors";
import { log } from "@/server/log";
import { checkIntegration } from "./health";

/** One health check of one config, in its organization's job context. */
export const HEALTH_QUEUE = "integration-health";
export type HealthJob = { organizationId: string; configId: string };

/** At most one check per config queued or running (singleton per config); no retries: the next is scheduled. */
export const healthQueue = (heartbeatSeconds: number): Queue => ({
  name: HEALTH_QUEUE,
  policy: "standard",
  retryLimit: 0,
  expireInSeconds: 120,
  heartbeatSeconds,
  deleteAfterSeconds: 86_400,
});

/** The kinds of configuration that have a health check (any platform). */
const CHECKED_KINDS = CONFIG_TYPES.filter((k) => PLATFORMS.some((p) => isChecked(p, k)));

/** Each minute: queues a check for every active config whose next check is due, in every organization. */
export async function enqueueDueHealthChecks(boss: Pick<PgBoss, "send">) {
  let queued = 0;
  for (const ctx of await jobContexts(getDb())) {
    const due = await withContext(ctx, (tx) =>
      integrationsDueForCheck(tx, ctx.organizationId, CHECKED_KINDS),
    );
    for (const configId of due) {
      const data: HealthJob = { organizationId: ctx.organizationId, configId };
      if (await boss.send(HEALTH_QUEUE, data, { singletonKey: configId, singletonSeconds: 60 })) queued++;
    }
  }
  return { queued };
}

/** integration-health: one check; an organization with no owner or admin to act as is skipped. */
export async function integrationHealthJob({ organizationId, configId }: HealthJob) {
  const found = await jobContext(getDb(), organizationId);
  if (!found) return { status: "skipped" };
  const ctx = { ...found, userAgent: "ringbearer job: integration-health" };
  try {
    const outcome = await checkIntegration(ctx, configId);
    if (outcome.checked && outcome.status === "unhealthy")
      log.warn(
        { event: "integration-health", organizationId, configId, message: outcome.message },
        "integration unhealthy",
      );
    return outcome;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return { status: "skipped" };
    log.error(
      { event: "integration-health", organizationId, configId, error: errorSummary(error) },
      "health check failed",
    );
    throw error;
  }
}

/** Registers this instance's health-check worker (two checks at a time). */
export async function startHealthWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work<HealthJob>(HEALTH_QUEUE, { ...options, localConcurrency: 2 }, ([job]: Job<HealthJob>[]) =>
    runJob(HEALTH_QUEUE, () => integrationHealthJob(job.data)),
  );
}
