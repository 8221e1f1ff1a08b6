import type { PgBoss } from "pg-boss";
import { runJob } from "@/server/job-errors";
import { log } from "@/server/log";
import { scheduledPrechecks } from "./precheck";

/** The Saturday pre-check's schedule: every 15 minutes, each organization's run happens once per window. */
export const PRECHECK_QUEUE = "wedding-precheck";
export const PRECHECK_CRON = "*/15 * * * *";

export async function definePrecheckJob(boss: PgBoss, heartbeatSeconds: number) {
  await boss.createQueue(PRECHECK_QUEUE, {
    policy: "exclusive",
    retryLimit: 1,
    retryDelay: 60,
    expireInSeconds: 600,
    heartbeatSeconds,
    deleteAfterSeconds: 86_400,
  });
  await boss.schedule(PRECHECK_QUEUE, PRECHECK_CRON, null, { tz: "UTC" });
}

export async function startPrecheckWorker(boss: PgBoss, options: { pollingIntervalSeconds?: number }) {
  await boss.work(PRECHECK_QUEUE, options, () =>
    runJob(PRECHECK_QUEUE, async () => {
      const outcome = await scheduledPrechecks();
      if (outcome.recorded > 0)
        log.info({ event: "precheck", recorded: outcome.recorded }, "scheduled pre-checks recorded");
      return outcome;
    }),
  );
}
