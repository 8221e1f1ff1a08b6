import path from "node:path";
import postgres from "postgres";

/**
 * Records how a backup went in the database it backed up (migration 0048), as its owner: the operator console's
 * backup rules read it. Only the folder's own name is kept. A database that does not answer records nothing.
 */
export async function recordBackup(
  ownerUrl: string,
  run: { ok: boolean; dir: string; tables?: number; rows?: number; detail?: string },
) {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`insert into ops_backups (ok, folder, tables, rows, detail)
              values (${run.ok}, ${path.basename(run.dir).slice(0, 255)}, ${run.tables ?? null}, ${run.rows ?? null},
                      ${run.detail?.slice(0, 500) ?? null})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Records a restore drill (`npm run restore -- --verify`, migration 0049) in the installation's database, as its
 * owner: the newest backup a drill verified is the pre-check's "last verified backup". The backup's own time
 * comes from its manifest; a failed drill is recorded with its reason.
 */
export async function recordDrill(
  ownerUrl: string,
  run: {
    ok: boolean;
    dir: string;
    backupCreatedAt?: string;
    tables?: number;
    rows?: number;
    detail?: string;
  },
) {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`insert into ops_restore_drills (ok, folder, backup_created_at, tables, rows, detail)
              values (${run.ok}, ${path.basename(run.dir).slice(0, 255)}, ${run.backupCreatedAt ?? null},
                      ${run.tables ?? null}, ${run.rows ?? null}, ${run.detail?.slice(0, 500) ?? null})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
