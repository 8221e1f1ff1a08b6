import { type RequestContext, withContext } from "@/db/context";
import { monitorConnection } from "@/db/monitor";
import { insertOpsEvent } from "@/db/repos/operators";
import { alertThresholdRows } from "@/db/repos/ops-alerts";
import { backupStatus } from "@/db/repos/ops-backups";
import {
  databaseHealth,
  indexUsage,
  replicas,
  type SessionRow,
  sessions,
  signalSession,
  slowStatements,
  statementStatsAvailability,
  tableSizes,
  unindexedForeignKeys,
} from "@/db/repos/ops-health";
import { queueDepths } from "@/db/repos/ops-jobs";
import { sizeHistory, tableGrowth } from "@/db/repos/ops-snapshots";
import { AppError } from "@/lib/errors";
import {
  estimatedBloatBytes,
  evaluate,
  LARGE_TABLE_ROWS,
  sessionState,
  thresholds,
  XID_LIMIT,
} from "@/lib/ops/health";
import { operatorName, requireOperator } from "./operators";

/**
 * The operator console's database pages (issue 17): PostgreSQL's figures read on the monitoring connection
 * (db/monitor.ts), judged by lib/ops/health.ts. Every function first checks, as the caller, that they are an
 * installation operator. A monitoring URL that connects as a superuser is refused, not used.
 */
async function monitor(ctx: RequestContext) {
  await withContext({ userId: ctx.userId }, requireOperator);
  const connection = monitorConnection();
  const health = await databaseHealth(connection.db);
  if (health.superuser)
    throw new AppError("validation", {
      form: ["DATABASE_MONITOR_URL connects as a superuser: give it a role with pg_monitor instead."],
    });
  return { ...connection, health };
}

export type OpsSession = SessionRow & { flag: ReturnType<typeof sessionState> };

export async function databaseOverview(ctx: RequestContext) {
  const { db, dedicated, health } = await monitor(ctx);
  const [queues, overrides, backups] = await withContext(
    { userId: ctx.userId },
    async (tx) => [await queueDepths(tx), await alertThresholdRows(tx), await backupStatus(tx)] as const,
  );
  const limits = thresholds(overrides);
  const rows = await sessions(db);
  const live: OpsSession[] = rows.map((s) => ({ ...s, flag: sessionState(s, limits) }));
  return {
    monitoring: {
      dedicated,
      pgMonitor: health.pgMonitor,
      // What the app role cannot see without pg_monitor: other roles' statements and their sessions' state.
      limited: !health.pgMonitor,
    },
    health: { ...health, xidRatio: health.xidAge / XID_LIMIT },
    // The alert rules over this reading (the job records the same as alerts every minute).
    findings: evaluate({ health, sessions: rows, queues, backups }, limits),
    backups,
    sessions: live,
    replicas: await replicas(db),
    queues,
  };
}

/** Every table's size now, its growth over the last week, and the database's size per day (90 days). */
export async function storageOverview(ctx: RequestContext) {
  const { db } = await monitor(ctx);
  const [history, growth] = await withContext(
    { userId: ctx.userId },
    async (tx) => [await sizeHistory(tx), await tableGrowth(tx)] as const,
  );
  const grown = new Map(growth.map((g) => [`${g.schema}.${g.table}`, g.grownBytes]));
  const tables = (await tableSizes(db)).map((t) => ({
    ...t,
    bloatBytes: estimatedBloatBytes(t),
    weekGrowthBytes: grown.get(`${t.schema}.${t.table}`) ?? null,
  }));
  return { tables, history: [...history] };
}

export async function indexOverview(ctx: RequestContext) {
  const { db, health } = await monitor(ctx);
  const indexes = await indexUsage(db);
  const tables = await tableSizes(db);
  const stats = await statementStatsAvailability(db);
  return {
    statsSince: health.statsResetAt,
    unused: indexes.filter((i) => !i.unique && i.scans === 0),
    duplicates: indexes.filter((i) => i.duplicateOf !== null),
    invalid: indexes.filter((i) => !i.valid),
    seqScans: tables.filter(
      (t) => t.liveTuples > LARGE_TABLE_ROWS && t.seqScans > 0 && t.seqScans > t.indexScans,
    ),
    unindexedForeignKeys: await unindexedForeignKeys(db),
    statements:
      stats.installed && stats.loaded
        ? { available: true as const, slowest: await slowStatements(db) }
        : {
            available: false as const,
            reason: stats.installed
              ? "pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart."
              : "pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries).",
          },
  };
}

/**
 * Cancels a session's statement (or ends the session): only a client session of this database, never the
 * console's own; written to the operations log with the operator's reason first.
 */
export async function cancelSession(
  ctx: RequestContext,
  input: { pid: number; terminate: boolean; reason: string },
) {
  const { db } = await monitor(ctx);
  const target = (await sessions(db)).find((s) => s.pid === input.pid);
  if (!target) throw new AppError("not_found");
  const done = await signalSession(db, input.pid, input.terminate);
  await withContext({ userId: ctx.userId }, async (tx) => {
    const actor = await operatorName(tx, ctx);
    await insertOpsEvent(tx, {
      actor,
      action: input.terminate ? "session.terminate" : "session.cancel",
      subject: String(input.pid),
      details: {
        reason: input.reason,
        role: target.role,
        application: target.application,
        state: target.state,
        done,
      },
    });
  });
  if (!done) throw new AppError("forbidden");
  return { pid: input.pid, terminated: input.terminate };
}
