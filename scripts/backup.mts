/**
 * `npm run backup [-- --out <folder>]`: a consistent backup of every table (COPY in one repeatable-read,
 * read-only transaction) into a new folder, by default `backups/ringbearer-<UTC time>`. Values stay encrypted;
 * the master key is not in the backup — keep it separately (docs/operations.md).
 */
import { createBackup } from "@/db/backup/create";
import { BackupError } from "@/db/backup/manifest";
import { recordBackup } from "@/db/backup/record";
import { databaseTarget } from "./database-target.mts";

const log = (m: string) => console.log(`[backup] ${m}`);
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "Z");
const out = outAt >= 0 ? args[outAt + 1] : `backups/ringbearer-${stamp}`;
if (!out || args.some((a, i) => a !== "--out" && i !== outAt + 1)) {
  console.error("usage: npm run backup [-- --out <new folder>]");
  process.exit(2);
}

const target = await databaseTarget(log);
try {
  log(`Backing up ${target.describe}…`);
  const { dir, manifest } = await createBackup({ ownerUrl: target.ownerUrl, dir: out, log });
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  log(`Wrote ${dir}: ${manifest.tables.length} tables, ${rows} rows, schema ${manifest.migrations.at(-1)}.`);
  await recordBackup(target.ownerUrl, { ok: true, dir, tables: manifest.tables.length, rows }).catch(
    (e: unknown) =>
      log(`(not recorded for the operator console: ${e instanceof Error ? e.message : String(e)})`),
  );
  log("The master key is not in the backup: keep RINGBEARER_MASTER_KEY (or .data/secrets.json) separately.");
} catch (error) {
  const message = error instanceof BackupError ? error.message : String(error);
  console.error(`[backup] ${message}`);
  process.exitCode = 1;
  await recordBackup(target.ownerUrl, { ok: false, dir: out, detail: message }).catch(() => {});
} finally {
  await target.close();
}
