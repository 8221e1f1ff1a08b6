import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";

/**
 * Backups as `npm run backup` recorded them (migration 0048), and restore drills (0049), for the backup rules and /ops: ages in seconds.
 * `runningSeconds` is how long the console has been taking daily snapshots (a proxy for the installation's age).
 */
export type BackupStatus = {
  lastOkSeconds: number | null;
  /** The age of the newest backup a restore drill verified (migration 0049). */
  lastVerifiedSeconds: number | null;
  lastFailed: boolean;
  lastDetail: string | null;
  runningSeconds: number | null;
};

export async function backupStatus(db: Database | Tx): Promise<BackupStatus> {
  const [row] = await db.execute<BackupStatus>(sql`
    SELECT extract(epoch FROM now() - (SELECT max(finished_at) FROM ops_backups WHERE ok))::float8 AS "lastOkSeconds",
           extract(epoch FROM now() - (SELECT max(backup_created_at) FROM ops_restore_drills WHERE ok))::float8
             AS "lastVerifiedSeconds",
           coalesce((SELECT NOT ok FROM ops_backups ORDER BY finished_at DESC LIMIT 1), false) AS "lastFailed",
           (SELECT detail FROM ops_backups ORDER BY finished_at DESC LIMIT 1) AS "lastDetail",
           extract(epoch FROM now() - (SELECT min(day) FROM ops_table_snapshots)::timestamptz)::float8
             AS "runningSeconds"`);
  return row;
}
