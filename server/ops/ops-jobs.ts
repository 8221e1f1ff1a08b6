import type { PgBoss } from "pg-boss";
import { runJob } from "@/server/job-errors";
import { defineOpsWebhook, queueAlertWebhooks, startOpsWebhookWorker } from "./alert-webhook";
import { evaluateAlerts } from "./alerts";
import { runIntegrityChecks } from "./integrity";

/**
 * System alerts are evaluated every minute, and their changes queued for the operations webhook; the integrity
 * checks run daily at 03:00 UTC. One instance each.
 */
export const OPS_ALERTS_QUEUE = "ops-alerts";
export const OPS_INTEGRITY_QUEUE = "ops-integrity";

export async function defineOpsJobs(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(OPS_ALERTS_QUEUE, {
    policy: "exclusive",
    retryLimit: 0,
    expireInSeconds: 120,
    heartbeatSeconds,
    deleteAfterSeconds: 3600,
  });
  await boss.schedule(OPS_ALERTS_QUEUE, "* * * * *", null, { tz: "UTC" });
  await boss.createQueue(OPS_INTEGRITY_QUEUE, {
    policy: "exclusive",
    retryLimit: 1,
    retryDelay: 600,
    expireInSeconds: 3600,
    heartbeatSeconds,
    deleteAfterSeconds: 7 * 86_400,
  });
  await boss.schedule(OPS_INTEGRITY_QUEUE, "0 3 * * *", null, { tz: "UTC" });
  await defineOpsWebhook(boss, heartbeatSeconds);
}

export async function startOpsWorkers(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work(OPS_ALERTS_QUEUE, options, () =>
    runJob(OPS_ALERTS_QUEUE, async () => {
      const outcome = await evaluateAlerts();
      return { ...outcome, sent: await queueAlertWebhooks(boss) };
    }),
  );
  await boss.work(OPS_INTEGRITY_QUEUE, options, () =>
    runJob(OPS_INTEGRITY_QUEUE, () => runIntegrityChecks()),
  );
  await startOpsWebhookWorker(boss, options);
}
