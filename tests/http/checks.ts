/**
 * What an answer to a refused (or any) request must never contain, and the row counts that a refused
 * request must leave as they were.
 */
import type postgres from "postgres";

const TABLES =
  "users|organizations|memberships|sessions|environments|environment_variables|environment_variable_values" +
  "|environment_variable_audit|encryption_keys|change_requests|change_request_items|sync_targets" +
  "|deployment_syncs|configuration_drift|invitations|login_attempts|protection_windows|protection_blackouts";

const LEAKS: [string, RegExp][] = [
  ["a stack trace", /\n\s+at |\bat [\w$.<>]+ \(/],
  ["driver text", /Failed query|params:|\bPostgresError\b|\bpostgres(ql)?\b/i],
  [
    "SQL with a table name",
    new RegExp(`\\b(select|insert into|update|delete from|from|join)\\s+"?(${TABLES})\\b`, "i"),
  ],
  ["a SQLSTATE", /\bSQLSTATE\b|\bcode: '[0-9A-Z]{5}'/],
  ["a project path", /node_modules\/|\.next\/server|\/work\/|\/home\/|\/tmp\/|file:\/\//],
];

/** The first leak found in a body or header (null if none). */
export function leakIn(text: string, cwd = process.cwd()): string | null {
  if (text.includes(cwd)) return "the project's path";
  for (const [what, pattern] of LEAKS) {
    const m = pattern.exec(text);
    if (m) return `${what}: …${text.slice(Math.max(0, m.index - 40), m.index + 80)}…`;
  }
  return null;
}

/**
 * Written by the server's own jobs whoever asks: system alerts every minute, the day's table sizes at the first
 * evaluation after midnight UTC (or start), integrity results at 03:00 UTC (server/ops/).
 */
export const BACKGROUND_TABLES = new Set(["ops_alerts", "ops_table_snapshots", "ops_integrity_results"]);

/** Row counts of every table of the app's schema (public) but the background ones, read by a superuser (no RLS). */
export async function rowCounter(sql: postgres.Sql) {
  const tables = (
    await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public' order by 1`
  )
    .map((t) => t.tablename)
    .filter((t) => !BACKGROUND_TABLES.has(t));
  const query = `select ${tables.map((t) => `(select count(*) from public."${t}")::int as "${t}"`).join(", ")}`;
  return async (): Promise<Record<string, number>> => {
    const [row] = await sql.unsafe(query);
    return row as Record<string, number>;
  };
}

/** Tables whose count differs between two snapshots, as "table: before → after". */
export function changedCounts(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after)
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]} → ${after[t]}`);
}
