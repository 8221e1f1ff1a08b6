import type { Job, PgBoss, Queue } from "pg-boss";
import { getDb } from "@/db/client";
import { jobContext, jobContexts } from "@/db/job-contexts";
import { AppError } from "@/lib/errors";
import { failPendingSync, queueAutoPushes } from "@/server/deploy/auto-push";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { dueScanTargets, recordFailedScan } from "@/server/drift/scheduled-scans";
import { enqueueDueHealthChecks, healthQueue, startHealthWorker } from "@/server/integrations/health-jobs";
import { defineRotationDigest, startRotationDigestWorker } from "@/server/keys/rotation-digest";
import { enqueueOpenRotations, keyRotationQueue, startKeyRotationWorker } from "@/server/keys/rotation-jobs";
import { purgeAllOrganizations } from "@/server/variables/purge";
import {
  listenForDeliveries,
  queueAllDeliveries,
  WEBHOOK_QUEUE,
  type WebhookJob,
  webhookDeliverJob,
} from "@/server/webhooks/dispatch";
import { createBoss, jobBoss, setJobBoss } from "./job-boss";
import { errorSummary, JobFailure, jobFailure, runJob, watchQueue } from "./job-errors";
import { log } from "./log";
import { defineOpsJobs, startOpsWorkers } from "./ops/ops-jobs";
import { defineOrganizationPurge, startOrganizationPurgeWorker } from "./organizations/deletion";
import { definePrecheckJob, startPrecheckWorker } from "./precheck/precheck-jobs";

/**
 * Background jobs on pg-boss (schema `pgboss`, made at migrate time): every instance runs the same workers and
 * schedules, PostgreSQL hands each job to one of them; each acts as an owner (else admin) of its organization.
 */
export const QUEUES = {
  purge: "purge",
  driftScan: "drift-scan",
  scanTarget: "scan-target",
  pushTarget: "push-target",
  webhookDeliver: WEBHOOK_QUEUE,
} as const;

export type ScanTargetJob = { organizationId: string; targetId: string };
export type PushTargetJob = ScanTargetJob & { syncId: string };

/**
 * `exclusive`: at most one job per queue (per target for scans) is queued or running, across instances.
 * `heartbeatSeconds`: a running job's worker touches it every half interval; a job whose worker stopped
 * touching it (the server died, or lost its database while it ran the job and could not record the outcome)
 * is failed by the next supervision pass (every SUPERVISE_SECONDS) instead of holding its queue until it
 * expires. No retries for scans: a failed scan is recorded and the target waits its interval; one the database
 * interrupted is not recorded, so the next drift-scan queues it again. Pushes retry (the pending sync row is
 * the claim: a push that had started is not repeated).
 */
export const HEARTBEAT_SECONDS = 15;
const queues: Queue[] = [
  {
    name: QUEUES.purge,
    policy: "exclusive",
    retryLimit: 2,
    retryDelay: 600,
    expireInSeconds: 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  },
  {
    name: QUEUES.driftScan,
    policy: "exclusive",
    retryLimit: 0,
    expireInSeconds: 120,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: 3600,
  },
  {
    name: QUEUES.scanTarget,
    policy: "exclusive",
    retryLimit: 0,
    expireInSeconds: 300,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: 86_400,
  },
  {
    name: QUEUES.pushTarget,
    policy: "exclusive",
    retryLimit: 2,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: 86_400,
  },
  {
    // One attempt per job; the retry schedule is the delivery's own (lib/webhooks/events.ts), not pg-boss's.
    name: QUEUES.webhookDeliver,
    policy: "standard",
    retryLimit: 0,
    expireInSeconds: 120,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    deleteAfterSeconds: 86_400,
  },
  healthQueue(HEARTBEAT_SECONDS),
  keyRotationQueue(HEARTBEAT_SECONDS),
];

/** Creates the queues and schedules (idempotent: every instance does it at start). */
export async function defineJobs(boss: PgBoss) {
  for (const { name, policy, ...options } of queues) {
    await boss.createQueue(name, { policy, ...options });
    // Queues made by an earlier version get today's options too; updateQueue's type leaves heartbeatSeconds
    // out, but its SQL sets it (tests/db/job-failures.test.ts checks an existing queue gets it).
    await boss.updateQueue(name, options);
  }
  await boss.schedule(QUEUES.purge, "0 */6 * * *", null, { tz: "UTC", missed: "once" });
  await boss.schedule(QUEUES.driftScan, "* * * * *", null, { tz: "UTC" });
  await defineRotationDigest(boss, HEARTBEAT_SECONDS);
  await defineOpsJobs(boss, HEARTBEAT_SECONDS);
  await definePrecheckJob(boss, HEARTBEAT_SECONDS);
  await defineOrganizationPurge(boss, HEARTBEAT_SECONDS);
}

/** purge: variables deleted more than 90 days ago lose their values and history (server/variables/purge.ts). */
export async function purgeJob() {
  const result = await purgeAllOrganizations(getDb());
  if (result.purged > 0 || result.webhookEvents > 0)
    log.info({ event: "purge", ...result }, "purged deleted variables and webhook log past retention");
  return result;
}

/** drift-scan: queues one scan-target job per due target; a target already queued or running is skipped. */
export async function enqueueDueScans(boss: Pick<PgBoss, "send">) {
  const queued: string[] = [];
  let due = 0;
  for (const ctx of await jobContexts(getDb())) {
    for (const targetId of await dueScanTargets(ctx)) {
      due++;
      const data: ScanTargetJob = { organizationId: ctx.organizationId, targetId };
      if (await boss.send(QUEUES.scanTarget, data, { singletonKey: targetId })) queued.push(targetId);
    }
  }
  if (due > 0) log.info({ event: "drift-scan", due, queued: queued.length }, "queued scans of due targets");
  return { due, queued };
}

/**
 * Also each minute: queues an automated push for each target that pushes on its own and whose environment
 * changed since its last push (server/deploy/auto-push.ts); its `pending` sync row is the claim.
 */
export async function enqueueAutoPushes(boss: Pick<PgBoss, "send">) {
  const queued: string[] = [];
  for (const ctx of await jobContexts(getDb())) {
    for (const { targetId, syncId } of await queueAutoPushes(ctx)) {
      const data: PushTargetJob = { organizationId: ctx.organizationId, targetId, syncId };
      // One pending row per target is the database's rule already; the sync id keys the job.
      if (await boss.send(QUEUES.pushTarget, data, { singletonKey: syncId })) queued.push(targetId);
      else
        await failPendingSync(ctx, syncId, "The push could not be queued; the next change queues it again");
    }
  }
  if (queued.length > 0) log.info({ event: "auto-push", queued: queued.length }, "queued automatic pushes");
  return { queued };
}

/** push-target: an automated push in the organization's job context; a push that cannot start says why. */
export async function pushTargetJob({ organizationId, targetId, syncId }: PushTargetJob) {
  const fields = { event: "push-target", organizationId, targetId, syncId };
  const found = await jobContext(getDb(), organizationId);
  if (!found) {
    log.warn(fields, "automatic push skipped: the organization has no owner or admin to act as");
    return { status: "skipped" };
  }
  const ctx = { ...found, userAgent: "ringbearer job: push-target" };
  try {
    const result = await pushToTarget(ctx, { targetId, syncType: "automated", pendingSyncId: syncId });
    log.info(
      { ...fields, status: result.status, set: result.set, deleted: result.deleted },
      "automatic push",
    );
    return { status: result.status };
  } catch (error) {
    if (error instanceof AppError) {
      await failPendingSync(ctx, syncId, error.message);
      log.warn({ ...fields, reason: error.code }, "automatic push did not start");
      return { status: "not started", reason: error.code };
    }
    log.error({ ...fields, error: errorSummary(error) }, "automatic push failed");
    const failure = jobFailure("push-target", error);
    // Interrupted by the database: the row stays pending, and the retry takes it over.
    if (failure.code !== "unavailable:database")
      await failPendingSync(ctx, syncId, "The push failed on our side; the server log has the details").catch(
        () => {},
      );
    throw failure.code === "internal"
      ? new JobFailure("internal", "The push failed; the server log has the details")
      : failure;
  }
}

/** scan-target: scans one target in its organization's job context (server/drift/drift.ts `scanTarget`). */
export async function scanTargetJob({ organizationId, targetId }: ScanTargetJob) {
  const fields = { event: "scan-target", organizationId, targetId };
  const found = await jobContext(getDb(), organizationId);
  if (!found) {
    log.warn(fields, "scheduled scan skipped: the organization has no owner or admin to act as");
    return { ok: false, message: "skipped" };
  }
  const ctx = { ...found, userAgent: "ringbearer job: scan-target" };
  try {
    const result = await scanTarget(ctx, targetId);
    if (result.ok)
      log.info({ ...fields, found: result.found, resolved: result.resolved }, "scheduled scan done");
    else log.warn({ ...fields, reason: result.message }, "scheduled scan: target not reachable");
    return result;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return { ok: false, message: "skipped" };
    log.error({ ...fields, error: errorSummary(error) }, "scheduled scan failed");
    const failure = jobFailure("scan-target", error);
    // Interrupted by the database: not a scan, so the next drift-scan queues the target again.
    if (failure.code === "unavailable:database") throw failure;
    await recordFailedScan(ctx, targetId).catch(() => {});
    throw new JobFailure(failure.code, "The scan failed; the server log has the details");
  }
}

/**
 * Registers this instance's workers; pg-boss polls every `pollingIntervalSeconds` (2 s by default). Every
 * handler runs through runJob: what a failed job stores is a code and a message (server/job-errors.ts).
 */
export async function startWorkers(boss: PgBoss, options: { pollingIntervalSeconds?: number } = {}) {
  await boss.work(QUEUES.purge, options, () => runJob(QUEUES.purge, purgeJob));
  await boss.work(QUEUES.driftScan, options, () =>
    runJob(QUEUES.driftScan, async () => ({
      scans: await enqueueDueScans(boss),
      pushes: await enqueueAutoPushes(boss),
      webhooks: await queueAllDeliveries(boss),
      health: await enqueueDueHealthChecks(boss),
      keyRotations: await enqueueOpenRotations(boss),
    })),
  );
  await startHealthWorker(boss, options);
  await startKeyRotationWorker(boss, options);
  await startRotationDigestWorker(boss, options);
  await startOpsWorkers(boss, options);
  await startPrecheckWorker(boss, options);
  await startOrganizationPurgeWorker(boss, options);
  await boss.work<ScanTargetJob>(
    QUEUES.scanTarget,
    { ...options, localConcurrency: 2 },
    ([job]: Job<ScanTargetJob>[]) => runJob(QUEUES.scanTarget, () => scanTargetJob(job.data)),
  );
  await boss.work<PushTargetJob>(QUEUES.pushTarget, options, ([job]: Job<PushTargetJob>[]) =>
    runJob(QUEUES.pushTarget, () => pushTargetJob(job.data)),
  );
  await boss.work<WebhookJob>(
    QUEUES.webhookDeliver,
    { ...options, localConcurrency: 4 },
    ([job]: Job<WebhookJob>[]) => runJob(QUEUES.webhookDeliver, () => webhookDeliverJob(boss, job.data)),
  );
}

let stopListening: (() => Promise<void>) | undefined;

/** Starts pg-boss, its schedules and this instance's workers (once per process; from instrumentation.ts). */
export async function startJobs() {
  const url = process.env.DATABASE_URL;
  if (jobBoss() || !url) return;
  const boss = createBoss(url);
  setJobBoss(boss);
  watchQueue(boss);
  try {
    await boss.start({ attempts: 5 });
    await defineJobs(boss);
    await startWorkers(boss);
    stopListening = await listenForDeliveries(boss, url);
    log.info({ event: "jobs" }, "background jobs started");
  } catch (error) {
    log.error({ event: "jobs", error: errorSummary(error) }, "background jobs did not start");
    setJobBoss(undefined);
    await boss.stop({ graceful: false }).catch(() => {});
    return;
  }
  process.once("SIGTERM", () => void stopJobs());
  process.once("SIGINT", () => void stopJobs());
}

/** Stops fetching, lets running jobs finish (up to 10 s), and closes pg-boss's connections. */
export async function stopJobs() {
  const boss = jobBoss();
  setJobBoss(undefined);
  await stopListening?.();
  stopListening = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 });
}
