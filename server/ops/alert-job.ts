import type { PgBoss } from "pg-boss";
import { runJob } from "@/server/job-errors";
import { evaluateAlerts } from "./alerts";

/** System alerts are evaluated every minute, by one instance at a time. */
export const OPS_ALERTS_QUEUE = "ops-alerts";

export async function defineAlertJob(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(OPS_ALERTS_QUEUE, {
    policy: "exclusive",
    retryLimit: 0,
    expireInSeconds: 120,
    heartbeatSeconds,
    deleteAfterSeconds: 3600,
  });
  await boss.schedule(OPS_ALERTS_QUEUE, "* * * * *", null, { tz: "UTC" });
}

export async function startAlertWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work(OPS_ALERTS_QUEUE, options, () => runJob(OPS_ALERTS_QUEUE, () => evaluateAlerts()));
}
