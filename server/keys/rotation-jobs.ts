import type { Job, PgBoss, Queue } from "pg-boss";
import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContext, jobContexts } from "@/db/job-contexts";
import { openRotation } from "@/db/repos/key-rotations";
import { jobBoss } from "@/server/job-boss";
import { errorSummary, runJob } from "@/server/job-errors";
import { log } from "@/server/log";
import { runRotation } from "./rotation-run";

/** One run of an organization's open rotation, in its job context (an owner, else an admin). */
export const KEY_ROTATION_QUEUE = "key-rotation";
export type KeyRotationJob = { organizationId: string; rotationId: string };

/** How long one run goes on before it leaves the rest to the next (the minute's tick queues it again). */
const RUN_MS = 10 * 60_000;

/**
 * At most one run per organization queued or running (exclusive, keyed by the organization), across instances;
 * no retries: the rotation's state is in its rows, so the next tick's run resumes whatever a failed one left.
 */
export const keyRotationQueue = (heartbeatSeconds: number): Queue => ({
  name: KEY_ROTATION_QUEUE,
  policy: "exclusive",
  retryLimit: 0,
  expireInSeconds: RUN_MS / 1000 + 120,
  heartbeatSeconds,
  deleteAfterSeconds: 86_400,
});

/** Queues a run now (after the transaction that started the rotation committed); never throws. */
export async function queueKeyRotation(organizationId: string, rotationId: string) {
  const boss = jobBoss();
  if (!boss) return;
  const data: KeyRotationJob = { organizationId, rotationId };
  await boss.send(KEY_ROTATION_QUEUE, data, { singletonKey: organizationId }).catch((error: unknown) => {
    log.warn(
      { event: "key-rotation", organizationId, error: errorSummary(error) },
      "could not queue the rotation",
    );
  });
}

/** Each minute: queues a run for every organization with a running or paused rotation (a crashed run resumes). */
export async function enqueueOpenRotations(boss: Pick<PgBoss, "send">) {
  let queued = 0;
  for (const ctx of await jobContexts(getDb())) {
    const open = await withContext(ctx, (tx) => openRotation(tx, ctx.organizationId));
    if (!open) continue;
    const data: KeyRotationJob = { organizationId: ctx.organizationId, rotationId: open.id };
    if (await boss.send(KEY_ROTATION_QUEUE, data, { singletonKey: ctx.organizationId })) queued++;
  }
  return { queued };
}

/** key-rotation: re-encrypts batch by batch until the rotation ends, waits on wedding hours, or its time is up. */
export async function keyRotationJob({ organizationId, rotationId }: KeyRotationJob) {
  const found = await jobContext(getDb(), organizationId);
  if (!found) return { state: "skipped" };
  const ctx = { ...found, userAgent: "ringbearer job: key-rotation" };
  const outcome = await runRotation(ctx, rotationId, { until: Date.now() + RUN_MS });
  log.info({ event: "key-rotation", organizationId, rotationId, ...outcome }, "key rotation run");
  return outcome;
}

export async function startKeyRotationWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work<KeyRotationJob>(KEY_ROTATION_QUEUE, options, ([job]: Job<KeyRotationJob>[]) =>
    runJob(KEY_ROTATION_QUEUE, () => keyRotationJob(job.data)),
  );
}
