import type { PgBoss } from "pg-boss";
import { type Database, getDb } from "@/db/client";
import { jobRunnerProofNow } from "@/db/job-contexts";
import { type TakenAlertChange, takeAlertChanges } from "@/db/repos/ops-alerts";
import { DELIVERY_TIMEOUT_MS } from "@/lib/webhooks/events";
import { messageId, signedHeaders } from "@/lib/webhooks/signing";
import { runJob } from "@/server/job-errors";

/**
 * System alerts as webhooks (issue 17): each alert raised or cleared is POSTed to the installation's own
 * endpoint, RINGBEARER_OPS_WEBHOOK_URL, signed as Standard Webhooks with RINGBEARER_OPS_WEBHOOK_SECRET — a pager,
 * a chat relay, Alertmanager. The address is the operator's own configuration, so it is not held to the outbound
 * allowlist organizations' endpoints are (an internal relay is fine). Each minute the alert job takes the changes
 * not yet taken (migration 0050: whoever recorded them, each once) and queues one pg-boss job per change, retried
 * with backoff for about two hours; the same `webhook-id` on every attempt. Organizations hear of their own matters
 * through their endpoints' events (integration.unhealthy, drift.detected, …), never of the installation's.
 */
export const OPS_WEBHOOK_QUEUE = "ops-alert-webhook";

export type OpsWebhookJob = {
  id: string;
  type: "alert.raised" | "alert.cleared";
  timestamp: string;
  data: { alert: string; rule: string; subject: string; severity: string; message: string };
};

export function opsWebhookConfig(env: Record<string, string | undefined> = process.env) {
  const url = env.RINGBEARER_OPS_WEBHOOK_URL?.trim();
  const secret = env.RINGBEARER_OPS_WEBHOOK_SECRET?.trim();
  return url && secret ? { url, secret } : null;
}

/** The job of one change: its id is the alert's and the change's, the same for every attempt. */
export const webhookJobOf = (c: TakenAlertChange): OpsWebhookJob => ({
  id: `${c.id.replaceAll("-", "")}${c.change === "raised" ? "r" : "c"}`,
  type: `alert.${c.change}`,
  timestamp: new Date(c.at).toISOString(),
  data: { alert: c.id, rule: c.rule, subject: c.subject, severity: c.severity, message: c.message },
});

/**
 * Takes the alert changes not yet taken and, when an endpoint is configured, queues one job for each (without
 * one they are taken all the same: configuring it later sends no backlog). Returns how many were queued.
 */
export async function queueAlertWebhooks(
  boss: Pick<PgBoss, "send">,
  database: Database = getDb(),
  env: Record<string, string | undefined> = process.env,
) {
  const changes = await takeAlertChanges(database, jobRunnerProofNow());
  if (!opsWebhookConfig(env)) return 0;
  for (const change of changes) await boss.send(OPS_WEBHOOK_QUEUE, webhookJobOf(change));
  return changes.length;
}

/** One attempt: a 2xx within the limit is a delivery; anything else throws, and pg-boss retries it. */
export async function sendAlertWebhook(
  job: OpsWebhookJob,
  env: Record<string, string | undefined> = process.env,
) {
  const config = opsWebhookConfig(env);
  if (!config) return { status: "unconfigured" as const };
  const body = JSON.stringify({ type: job.type, timestamp: job.timestamp, data: job.data });
  const response = await fetch(config.url, {
    method: "POST",
    headers: {
      ...signedHeaders([config.secret], messageId(job.id), body, new Date()),
      "user-agent": "Ringbearer-Webhooks/1",
    },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  await response.body?.cancel().catch(() => {});
  if (response.status < 200 || response.status >= 300)
    throw new Error(`The operations webhook answered ${response.status}`);
  return { status: "delivered" as const, statusCode: response.status };
}

export async function defineOpsWebhook(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(OPS_WEBHOOK_QUEUE, {
    retryLimit: 10,
    retryDelay: 15,
    retryBackoff: true,
    retryDelayMax: 1800,
    expireInSeconds: 60,
    heartbeatSeconds,
    deleteAfterSeconds: 7 * 86_400,
  });
}

export async function startOpsWebhookWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work<OpsWebhookJob>(OPS_WEBHOOK_QUEUE, options, ([job]) =>
    runJob(OPS_WEBHOOK_QUEUE, () => sendAlertWebhook(job.data)),
  );
}
