import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * The operator console's reads of PostgreSQL's own statistics (issue 17), on the monitoring connection
 * (db/monitor.ts). Figures as PostgreSQL keeps them; the decisions (what counts as long-running, the alert
 * thresholds) are in lib/ops.
 */

export type DatabaseHealth = {
  version: string;
  databaseBytes: number;
  connections: number;
  maxConnections: number;
  cacheHitRatio: number | null;
  /** Buffer reads counted so far (hits and misses): the ratio means little under a few thousand. */
  cacheBlocks: number;
  oldestTransactionSeconds: number | null;
  xidAge: number;
  freezeMaxAge: number;
  inRecovery: boolean;
  pgMonitor: boolean;
  superuser: boolean;
  statsResetAt: Date | null;
};

export async function databaseHealth(db: Database): Promise<DatabaseHealth> {
  const [row] = await db.execute<DatabaseHealth>(sql`
    SELECT current_setting('server_version') AS "version",
           pg_database_size(current_database())::float8 AS "databaseBytes",
           (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS "connections",
           current_setting('max_connections')::int AS "maxConnections",
           (SELECT blks_hit::float8 / nullif(blks_hit + blks_read, 0) FROM pg_stat_database
             WHERE datname = current_database()) AS "cacheHitRatio",
           (SELECT (blks_hit + blks_read)::float8 FROM pg_stat_database
             WHERE datname = current_database()) AS "cacheBlocks",
           (SELECT extract(epoch FROM max(clock_timestamp() - xact_start))::float8 FROM pg_stat_activity
             WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend')
             AS "oldestTransactionSeconds",
           (SELECT max(age(datfrozenxid)) FROM pg_database)::float8 AS "xidAge",
           current_setting('autovacuum_freeze_max_age')::float8 AS "freezeMaxAge",
           pg_is_in_recovery() AS "inRecovery",
           pg_has_role(current_user, 'pg_monitor', 'USAGE') AS "pgMonitor",
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS "superuser",
           (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS "statsResetAt"`);
  return row;
}

export type SessionRow = {
  pid: number;
  role: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  transactionSeconds: number | null;
  stateSeconds: number | null;
  waitEvent: string | null;
  /** The statement's text (parameters are never in it: every query of the app is parameterised). */
  query: string | null;
};

/** The database's client sessions but this one, longest transaction first. */
export async function sessions(db: Database): Promise<SessionRow[]> {
  return db.execute<SessionRow>(sql`
    SELECT pid, usename::text AS "role", application_name AS "application", client_addr::text AS "client", state,
           extract(epoch FROM clock_timestamp() - xact_start)::float8 AS "transactionSeconds",
           extract(epoch FROM clock_timestamp() - state_change)::float8 AS "stateSeconds",
           nullif(concat_ws(':', wait_event_type, wait_event), '') AS "waitEvent",
           left(query, 500) AS "query"
      FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
     ORDER BY xact_start NULLS LAST, pid
     LIMIT 200`);
}

/** Cancels (or terminates) a client session of this database; false when there is none with that pid. */
export async function signalSession(db: Database, pid: number, terminate: boolean): Promise<boolean> {
  const [row] = await db.execute<{ done: boolean | null }>(sql`
    SELECT CASE WHEN ${terminate} THEN pg_terminate_backend(a.pid) ELSE pg_cancel_backend(a.pid) END AS "done"
      FROM pg_stat_activity a
     WHERE a.pid = ${pid} AND a.datname = current_database() AND a.pid <> pg_backend_pid()
       AND a.backend_type = 'client backend'`);
  return row?.done === true;
}

export type ReplicaRow = { client: string | null; state: string | null; replayLagSeconds: number | null };

/** Streaming replicas of this server (as a primary), with their replay lag. */
export async function replicas(db: Database): Promise<ReplicaRow[]> {
  return db.execute<ReplicaRow>(sql`
    SELECT client_addr::text AS "client", state, extract(epoch FROM replay_lag)::float8 AS "replayLagSeconds"
      FROM pg_stat_replication ORDER BY client_addr`);
}

export type TableSizeRow = {
  schema: string;
  table: string;
  estimatedRows: number;
  tableBytes: number;
  indexBytes: number;
  toastBytes: number;
  totalBytes: number;
  liveTuples: number;
  deadTuples: number;
  seqScans: number;
  indexScans: number;
  lastAutovacuum: Date | null;
};

/**
 * Every table of the app's schemas, largest first. A partitioned table (the audit, 0054) is one row: its
 * sizes and counters are its partitions' sums.
 */
export async function tableSizes(db: Database): Promise<TableSizeRow[]> {
  return db.execute<TableSizeRow>(sql`
    WITH t AS (
      SELECT n.nspname::text AS schema, c.relname::text AS tbl, c.oid,
             coalesce((SELECT array_agg(p.relid::oid) FROM pg_partition_tree(c.oid) p WHERE p.isleaf),
                      ARRAY[c.oid]) AS parts
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'pgboss') AND NOT c.relispartition)
    SELECT t.schema AS "schema", t.tbl AS "table",
           sum(greatest(c.reltuples, 0))::float8 AS "estimatedRows",
           sum(pg_relation_size(c.oid))::float8 AS "tableBytes",
           sum(pg_indexes_size(c.oid))::float8 AS "indexBytes",
           sum(coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0))::float8 AS "toastBytes",
           sum(pg_total_relation_size(c.oid))::float8 AS "totalBytes",
           sum(coalesce(s.n_live_tup, 0))::float8 AS "liveTuples", sum(coalesce(s.n_dead_tup, 0))::float8 AS "deadTuples",
           sum(coalesce(s.seq_scan, 0))::float8 AS "seqScans", sum(coalesce(s.idx_scan, 0))::float8 AS "indexScans",
           max(greatest(s.last_autovacuum, s.last_vacuum)) AS "lastAutovacuum"
      FROM t CROSS JOIN LATERAL unnest(t.parts) part(oid) JOIN pg_class c ON c.oid = part.oid
      LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
     GROUP BY t.schema, t.tbl
     ORDER BY sum(pg_total_relation_size(c.oid)) DESC, 1, 2`);
}

export type IndexRow = {
  schema: string;
  table: string;
  index: string;
  scans: number;
  bytes: number;
  unique: boolean;
  valid: boolean;
  /** Another index of the table has the same columns, operator classes, expressions and predicate. */
  duplicateOf: string | null;
};

export async function indexUsage(db: Database): Promise<IndexRow[]> {
  return db.execute<IndexRow>(sql`
    WITH ix AS (
      SELECT n.nspname::text AS schema, t.relname::text AS tbl, c.relname::text AS idx, i.indexrelid, i.indrelid,
             i.indisunique OR i.indisprimary OR i.indisexclusion AS uniq, i.indisvalid AS valid,
             concat_ws('|', i.indrelid, i.indkey::text, i.indclass::text, i.indexprs::text, i.indpred::text) AS shape
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname IN ('public', 'pgboss') AND NOT c.relispartition)
    -- A partitioned table's index is one row: scans and size summed over its partitions' indexes.
    SELECT ix.schema, ix.tbl AS "table", ix.idx AS "index",
           (SELECT coalesce(sum(s.idx_scan), 0) FROM pg_stat_all_indexes s
             WHERE s.indexrelid = ANY (coalesce((SELECT array_agg(p.relid::oid) FROM pg_partition_tree(ix.indexrelid) p
                                                 WHERE p.isleaf), ARRAY[ix.indexrelid])))::float8 AS "scans",
           (SELECT coalesce(sum(pg_relation_size(p.relid)), pg_relation_size(ix.indexrelid))
              FROM pg_partition_tree(ix.indexrelid) p WHERE p.isleaf)::float8 AS "bytes",
           ix.uniq AS "unique", ix.valid,
           (SELECT min(o.idx) FROM ix o WHERE o.shape = ix.shape AND o.idx < ix.idx) AS "duplicateOf"
      FROM ix
     ORDER BY 1, 2, 3`);
}

export type ForeignKeyRow = { table: string; constraint: string; columns: string[] };

/** Foreign keys of the public schema whose columns lead no index (a delete of the parent scans the child). */
export async function unindexedForeignKeys(db: Database): Promise<ForeignKeyRow[]> {
  return db.execute<ForeignKeyRow>(sql`
    SELECT t.relname::text AS "table", f.conname::text AS "constraint",
           array(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n ORDER BY k.o) AS "columns"
      FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE f.contype = 'f' AND n.nspname = 'public' AND f.conparentid = 0 AND NOT t.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = f.conrelid
                         AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] @> f.conkey
                         AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] <@ f.conkey)
     ORDER BY 1, 2`);
}

export type SlowStatementRow = {
  query: string;
  calls: number;
  meanMs: number;
  totalMs: number;
  rows: number;
};

/** Whether pg_stat_statements is installed in this database, and loaded by the server. */
export async function statementStatsAvailability(db: Database) {
  const [row] = await db.execute<{ installed: boolean; loaded: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS "installed",
           'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
             AS "loaded"`);
  return row;
}

/** The slowest statements by mean time (pg_stat_statements installed and loaded: see above). */
export async function slowStatements(db: Database): Promise<SlowStatementRow[]> {
  return db.execute<SlowStatementRow>(sql`
    SELECT left(query, 500) AS "query", calls::float8 AS "calls", mean_exec_time::float8 AS "meanMs",
           total_exec_time::float8 AS "totalMs", rows::float8 AS "rows"
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY mean_exec_time DESC LIMIT 20`);
}
