import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";

/** Table growth (migration 0047): daily sizes recorded by the job runner, read back as history and growth. */

export async function hasSnapshotToday(db: Database): Promise<boolean> {
  const [row] = await db.execute<{ yes: boolean }>(
    sql`SELECT EXISTS (SELECT 1 FROM ops_table_snapshots WHERE day = current_date) AS "yes"`,
  );
  return row.yes === true;
}

export async function recordTableSizes(
  db: Database,
  proof: string,
  rows: { schema: string; table: string; totalBytes: number; estimatedRows: number }[],
) {
  const snapshot = rows.map((r) => ({
    schema_name: r.schema,
    table_name: r.table,
    total_bytes: Math.round(r.totalBytes),
    estimated_rows: Math.round(r.estimatedRows),
  }));
  await db.execute(sql`SELECT ops_record_table_sizes(${proof}, ${JSON.stringify(snapshot)}::jsonb)`);
}

/** The whole database's size per day, oldest first (the sum of its tables). */
export async function sizeHistory(tx: Tx | Database, days = 90) {
  return tx.execute<{ day: string; bytes: number }>(sql`
    SELECT to_char(day, 'YYYY-MM-DD') AS "day", sum(total_bytes)::float8 AS "bytes"
      FROM ops_table_snapshots WHERE day > current_date - ${days}::int
     GROUP BY day ORDER BY day`);
}

/** Each table's growth in bytes since the snapshot `days` ago (or its oldest since). */
export async function tableGrowth(tx: Tx, days = 7) {
  return tx.execute<{ schema: string; table: string; grownBytes: number }>(sql`
    SELECT s.schema_name AS "schema", s.table_name AS "table",
           (max(s.total_bytes) FILTER (WHERE s.day = (SELECT max(day) FROM ops_table_snapshots))
            - (array_agg(s.total_bytes ORDER BY s.day))[1])::float8 AS "grownBytes"
      FROM ops_table_snapshots s WHERE s.day >= current_date - ${days}::int
     GROUP BY 1, 2`);
}
