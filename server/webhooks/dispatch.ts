import "server-only";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { getDb } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { jobContext, jobContexts } from "@/db/job-contexts";
import { takeUnqueuedDeliveries } from "@/db/repos/webhooks";
import { log } from "../log";
import { attemptDelivery, type DeliveryOptions } from "./delivery";

/** The queue of webhook attempts: one job per attempt, sent to start when the attempt is due. */
export const WEBHOOK_QUEUE = "webhook-deliver";
export type WebhookJob = { organizationId: string; deliveryId: string };

/**
 * Sends a job for each of the organization's pending deliveries that has none (new, retried, or whose job was
 * lost), starting when its attempt is due. The delivery row is the claim: a second job for it finds nothing to do.
 */
export async function queueDeliveries(boss: Pick<PgBoss, "send">, ctx: TenantContext) {
  const due = await withContext(ctx, (tx) => takeUnqueuedDeliveries(tx));
  for (const d of due) {
    const job: WebhookJob = { organizationId: ctx.organizationId, deliveryId: d.id };
    await boss.send(WEBHOOK_QUEUE, job, { startAfter: Math.ceil(d.inSeconds) });
  }
  return due.length;
}

/** Each minute, with the scans: every organization's deliveries without a job get one. */
export async function queueAllDeliveries(boss: Pick<PgBoss, "send">) {
  let queued = 0;
  for (const found of await jobContexts(getDb())) {
    const ctx = await jobContext(getDb(), found.organizationId);
    if (ctx) queued += await queueDeliveries(boss, { ...ctx, userAgent: "ringbearer job: webhooks" });
  }
  return queued;
}

/** webhook-deliver: one attempt, then the next one queued (a retry on the schedule, or after an open circuit). */
export async function webhookDeliverJob(
  boss: Pick<PgBoss, "send">,
  job: WebhookJob,
  options?: DeliveryOptions,
) {
  const found = await jobContext(getDb(), job.organizationId);
  if (!found) return { status: "skipped" };
  const ctx = { ...found, userAgent: "ringbearer job: webhooks" };
  const outcome = await attemptDelivery(ctx, job.deliveryId, options);
  if (outcome.status === "pending" || outcome.status === "deferred") await queueDeliveries(boss, ctx);
  if (outcome.status === "failed")
    log.warn({ event: "webhook", deliveryId: job.deliveryId }, "a webhook delivery failed its last attempt");
  return outcome;
}

/**
 * Wakes on `ringbearer_webhooks` (migration 0030: an event was written) and queues that organization's new
 * deliveries at once, instead of at the next minute's sweep (which also covers a notice missed while the
 * connection was down). One LISTEN connection per job runner; resolves once it listens.
 */
export async function listenForDeliveries(boss: Pick<PgBoss, "send">, databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const wake = (organizationId: string) => {
    if (pending.has(organizationId)) return;
    pending.set(
      organizationId,
      setTimeout(async () => {
        pending.delete(organizationId);
        try {
          const ctx = await jobContext(getDb(), organizationId);
          if (ctx) await queueDeliveries(boss, { ...ctx, userAgent: "ringbearer job: webhooks" });
        } catch (error) {
          log.warn({ event: "webhook", err: error }, "could not queue webhook deliveries; the sweep will");
        }
      }, 100),
    );
  };
  try {
    await sql.listen("ringbearer_webhooks", wake);
  } catch (error) {
    log.error({ event: "webhook", err: error }, "could not LISTEN for webhook events; the sweep sends them");
  }
  return async () => {
    for (const timer of pending.values()) clearTimeout(timer);
    await sql.end({ timeout: 1 });
  };
}
