import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { opsAlerts, opsAlertThresholds } from "@/db/schema";

/** What one evaluation changed: alerts raised for the first time, and alerts whose condition ended. */
export type AlertChange = {
  change: "raised" | "cleared";
  rule: string;
  subject: string;
  severity: "warning" | "critical";
  message: string;
};

/**
 * Records one evaluation of `rules` (migration 0045, the job runner's proof): what is found is raised or seen
 * again, what of those rules is no longer found is cleared.
 */
export async function recordAlerts(
  db: Database,
  proof: string,
  rules: string[],
  found: { rule: string; subject: string; severity: string; message: string }[],
): Promise<AlertChange[]> {
  const rows = await db.execute<AlertChange>(sql`
    SELECT change, rule, subject, severity, message
      FROM ops_record_alerts(${proof}, ${`{${rules.join(",")}}`}::text[], ${JSON.stringify(found)}::jsonb)`);
  if (rows.length > 0) await notifyAlertsChanged(db, rows.length);
  return [...rows];
}

/**
 * Tells the operator console's open pages that alerts changed (server/live.ts: `ringbearer_changes`, for no
 * organization): they read again. Sent at commit; a count, nothing of the alerts themselves.
 */
export async function notifyAlertsChanged(db: Database | Tx, count: number) {
  const event = JSON.stringify({ org: "installation", kind: "ops_alerts", count });
  await db.execute(sql`select pg_notify('ringbearer_changes', ${event})`);
}

/**
 * Alert changes not yet taken for the operations webhook, marked taken (migration 0050, the job runner's proof):
 * whoever recorded them, each raising and each clearing is taken once.
 */
export async function takeAlertChanges(db: Database, proof: string) {
  const rows = await db.execute<{
    id: string;
    raised: boolean;
    cleared: boolean;
    rule: string;
    subject: string;
    severity: "warning" | "critical";
    message: string;
    raised_at: string;
    cleared_at: string | null;
  }>(sql`SELECT * FROM ops_take_alert_changes(${proof})`);
  return rows.flatMap((r) => {
    const alert = { rule: r.rule, subject: r.subject, severity: r.severity, message: r.message };
    return [
      ...(r.raised ? [{ id: r.id, change: "raised" as const, at: r.raised_at, ...alert }] : []),
      ...(r.cleared
        ? [{ id: r.id, change: "cleared" as const, at: r.cleared_at ?? r.raised_at, ...alert }]
        : []),
    ];
  });
}
export type TakenAlertChange = Awaited<ReturnType<typeof takeAlertChanges>>[number];

export async function alertThresholdRows(tx: Tx | Database) {
  return tx
    .select({ rule: opsAlertThresholds.rule, threshold: opsAlertThresholds.threshold })
    .from(opsAlertThresholds);
}

const columns = {
  id: opsAlerts.id,
  rule: opsAlerts.rule,
  subject: opsAlerts.subject,
  severity: opsAlerts.severity,
  message: opsAlerts.message,
  raisedAt: opsAlerts.raisedAt,
  lastSeenAt: opsAlerts.lastSeenAt,
  clearedAt: opsAlerts.clearedAt,
  acknowledgedAt: opsAlerts.acknowledgedAt,
  acknowledgedBy: opsAlerts.acknowledgedBy,
};

/** Open alerts, critical first, then newest (operators only, by row-level security). */
export async function openAlerts(tx: Tx) {
  return tx
    .select(columns)
    .from(opsAlerts)
    .where(isNull(opsAlerts.clearedAt))
    .orderBy(sql`${opsAlerts.severity} = 'critical' desc`, desc(opsAlerts.raisedAt));
}

/** Alerts whose condition has ended, newest first. */
export async function alertHistory(tx: Tx, limit = 50) {
  return tx
    .select(columns)
    .from(opsAlerts)
    .where(sql`${opsAlerts.clearedAt} is not null`)
    .orderBy(desc(opsAlerts.clearedAt))
    .limit(limit);
}

/** Acknowledges an open, unacknowledged alert; the alert as it was (null when there is none such). */
export async function acknowledge(tx: Tx, id: string, by: string) {
  const [row] = await tx
    .update(opsAlerts)
    .set({ acknowledgedAt: sql`now()`, acknowledgedBy: by })
    .where(and(eq(opsAlerts.id, id), isNull(opsAlerts.clearedAt), isNull(opsAlerts.acknowledgedAt)))
    .returning({ rule: opsAlerts.rule, subject: opsAlerts.subject });
  if (row) await notifyAlertsChanged(tx, 1);
  return row ?? null;
}

/** An operator's threshold for a rule, or none (back to the default); operators only, by row-level security. */
export async function setThreshold(tx: Tx, rule: string, threshold: number | null, by: string) {
  if (threshold === null) {
    await tx.delete(opsAlertThresholds).where(eq(opsAlertThresholds.rule, rule));
    return;
  }
  await tx
    .insert(opsAlertThresholds)
    .values({ rule, threshold, updatedBy: by })
    .onConflictDoUpdate({
      target: opsAlertThresholds.rule,
      set: { threshold, updatedBy: by, updatedAt: sql`now()` },
    });
}
