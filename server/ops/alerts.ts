import { type Database, getDb } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { jobContexts, jobRunnerProofNow } from "@/db/job-contexts";
import { monitorConnection } from "@/db/monitor";
import { insertOpsEvent } from "@/db/repos/operators";
import {
  acknowledge,
  alertHistory,
  alertThresholdRows,
  openAlerts,
  recordAlerts,
  setThreshold,
} from "@/db/repos/ops-alerts";
import { backupStatus } from "@/db/repos/ops-backups";
import { databaseHealth, sessions, tableSizes } from "@/db/repos/ops-health";
import { queueDepths } from "@/db/repos/ops-jobs";
import { organizationOpsCounts } from "@/db/repos/ops-org-checks";
import { hasSnapshotToday, recordTableSizes, sizeHistory } from "@/db/repos/ops-snapshots";
import { organizationLabel } from "@/db/repos/organizations";
import { AppError } from "@/lib/errors";
import {
  ALERT_RULE_NAMES,
  ALERT_RULES,
  type AlertRule,
  evaluate,
  type Reading,
  thresholds,
} from "@/lib/ops/health";
import { log } from "@/server/log";
import { operatorName, requireOperator } from "./operators";

/**
 * System alerts (issue 17): the rules of lib/ops/health.ts over one reading of the database and the job queues,
 * recorded by the job runner every minute (raised, seen again, cleared: migration 0045), read and acknowledged by
 * operators. A monitoring URL of a superuser is not used (the reading then comes from the app role).
 */
/** Each organization's counts, in its job context (an owner's or admin's: row-level security applies). */
async function organizationCounts(database: Database, lateFactor: number) {
  const found: NonNullable<Reading["organizations"]> = [];
  for (const ctx of await jobContexts(database))
    found.push(
      await withContext(
        ctx,
        async (tx) => ({
          id: ctx.organizationId,
          name: (await organizationLabel(tx, ctx.organizationId))?.name ?? ctx.organizationId,
          ...(await organizationOpsCounts(tx, ctx.organizationId, lateFactor)),
        }),
        database,
      ),
    );
  return found;
}

export async function takeReading(database: Database = getDb(), limits = thresholds()): Promise<Reading> {
  const { db, health } = await statsConnection(database);
  const queues = await database.transaction((tx) => queueDepths(tx));
  const days = await sizeHistory(database, 2);
  const growth = days.length === 2 ? { before: days[0].bytes, after: days[1].bytes } : null;
  return {
    health,
    sessions: await sessions(db),
    queues,
    growth,
    backups: await backupStatus(database),
    organizations: await organizationCounts(database, limits.scans_overdue),
  };
}

/** The monitoring connection, or the app's when the monitoring URL is a superuser's (never used as one). */
async function statsConnection(database: Database) {
  const { db } = monitorConnection();
  const health = await databaseHealth(db);
  return health.superuser ? { db: database, health: await databaseHealth(database) } : { db, health };
}

/** The job: one evaluation, recorded; what it raised and cleared is logged. */
export async function evaluateAlerts(database: Database = getDb()) {
  // The day's table sizes, once (the first evaluation after midnight UTC): growth is read from them.
  if (!(await hasSnapshotToday(database)))
    await recordTableSizes(
      database,
      jobRunnerProofNow(),
      await tableSizes((await statsConnection(database)).db),
    );
  const limits = thresholds(await alertThresholdRows(database));
  const found = evaluate(await takeReading(database, limits), limits);
  const changes = await recordAlerts(database, jobRunnerProofNow(), ALERT_RULE_NAMES, found);
  for (const c of changes)
    log[c.change === "raised" ? "warn" : "info"](
      { event: "ops-alert", change: c.change, rule: c.rule, subject: c.subject, severity: c.severity },
      c.message,
    );
  return {
    found: found.length,
    raised: changes.filter((c) => c.change === "raised").length,
    cleared: changes.filter((c) => c.change === "cleared").length,
  };
}

export async function alertsOverview(ctx: RequestContext) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    await requireOperator(tx);
    const overrides = await alertThresholdRows(tx);
    const current = thresholds(overrides);
    return {
      open: await openAlerts(tx),
      history: await alertHistory(tx),
      rules: ALERT_RULE_NAMES.map((rule) => ({
        rule,
        text: ALERT_RULES[rule].text,
        threshold: current[rule],
        changed: overrides.some((o) => o.rule === rule),
      })),
    };
  });
}

/** An operator takes an open alert on; the operations log names them. */
export async function acknowledgeAlert(ctx: RequestContext, input: { id: string }) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    const actor = await operatorName(tx, ctx);
    const alert = await acknowledge(tx, input.id, actor);
    if (!alert) throw new AppError("not_found");
    await insertOpsEvent(tx, {
      actor,
      action: "alert.acknowledge",
      subject: `${alert.rule}:${alert.subject}`,
    });
    return alert;
  });
}

/** An operator sets a rule's threshold (null: back to the default); the next evaluation uses it. Logged. */
export async function setAlertThreshold(
  ctx: RequestContext,
  input: { rule: AlertRule; threshold: number | null },
) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    const actor = await operatorName(tx, ctx);
    await setThreshold(tx, input.rule, input.threshold, actor);
    await insertOpsEvent(tx, {
      actor,
      action: "alert.threshold",
      subject: input.rule,
      details: {
        threshold: input.threshold ?? ALERT_RULES[input.rule].threshold,
        default: input.threshold === null,
      },
    });
  });
}
