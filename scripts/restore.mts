/**
 * `npm run restore -- <backup folder>`: restores a backup made by `npm run backup` into an empty database (the
 * embedded default, or DATABASE_URL / DATABASE_OWNER_URL), then verifies row counts and checksums, the audit
 * chains, and that values decrypt with the master key (RINGBEARER_MASTER_KEY or the embedded key file). Any
 * failure changes nothing.
 */
import { BackupError } from "@/db/backup/manifest";
import { restoreBackup } from "@/db/backup/restore";
import { parseMasterKey } from "@/lib/crypto";
import { databaseTarget } from "./database-target.mts";

const log = (m: string) => console.log(`[restore] ${m}`);
const [dir, ...rest] = process.argv.slice(2);
if (!dir || rest.length > 0) {
  console.error("usage: npm run restore -- <backup folder>");
  process.exit(2);
}

const target = await databaseTarget(log);
try {
  if (!target.masterKey)
    throw new BackupError("RINGBEARER_MASTER_KEY is not set: the restore checks values decrypt with it");
  log(`Restoring ${dir} into ${target.describe}…`);
  await restoreBackup({
    ownerUrl: target.ownerUrl,
    appRole: target.appRole,
    dir,
    masterKey: parseMasterKey(target.masterKey),
    log,
  });
  log("Restored.");
} catch (error) {
  console.error(`[restore] ${error instanceof BackupError ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
