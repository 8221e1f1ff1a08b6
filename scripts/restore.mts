/**
 * `npm run restore -- <backup folder>`: restores a backup made by `npm run backup` into an empty database (the
 * embedded default, or DATABASE_URL / DATABASE_OWNER_URL), then verifies row counts and checksums, the audit
 * chains, and that values decrypt with the master key (RINGBEARER_MASTER_KEY or the embedded key file). Any
 * failure changes nothing.
 *
 * `npm run restore -- --verify <backup folder> [--into <superuser URL>]`: the restore drill
 * (scripts/restore-drill.mts) — the same restore and checks into a throwaway database, dropped after.
 */
import { BackupError } from "@/db/backup/manifest";
import { restoreBackup } from "@/db/backup/restore";
import { databaseTarget, readMasterKeyring } from "./database-target.mts";

const log = (m: string) => console.log(`[restore] ${m}`);
const args = process.argv.slice(2);
if (args[0] === "--verify") await drill(args.slice(1));
const [dir, ...rest] = args;
if (!dir || rest.length > 0) {
  console.error(
    "usage: npm run restore -- <backup folder>\n       npm run restore -- --verify <backup folder> [--into <superuser URL>]",
  );
  process.exit(2);
}

/** The restore drill: exits 0 with its report, 1 with the reason it failed, 2 on a wrong command line. */
async function drill(argv: string[]): Promise<never> {
  const [folder, flag, adminUrl, ...extra] = argv;
  if (!folder || (flag !== undefined && (flag !== "--into" || !adminUrl)) || extra.length > 0) {
    console.error("usage: npm run restore -- --verify <backup folder> [--into <superuser URL>]");
    process.exit(2);
  }
  const { restoreDrill } = await import("./restore-drill.mts");
  const { readMasterKeyring, runningOwnerUrl } = await import("./database-target.mts");
  const { recordDrill } = await import("@/db/backup/record");
  // Recorded in the installation's database when it answers (the pre-check's "last verified backup").
  const record = async (run: Parameters<typeof recordDrill>[1]) => {
    const url = await runningOwnerUrl().catch(() => null);
    if (!url) return log("(not recorded: the installation's database is not running)");
    await recordDrill(url, run).catch((e: unknown) =>
      log(`(not recorded for the operator console: ${e instanceof Error ? e.message : String(e)})`),
    );
  };
  try {
    const ring = await readMasterKeyring();
    if (!ring)
      throw new BackupError("RINGBEARER_MASTER_KEY is not set: the drill checks values decrypt with it");
    const r = await restoreDrill({ dir: folder, masterKey: ring, adminUrl, log });
    log(
      `Drill passed: ${r.tables} tables, ${r.rows} rows match the manifest; ${r.chains} audit chains verify as at ` +
        `backup time (${r.broken} broken then); ${r.values} values of ${r.organizations} organizations decrypted ` +
        `and matched their hashes; restored into ${r.into}, dropped after.`,
    );
    await record({
      ok: true,
      dir: folder,
      backupCreatedAt: r.backupCreatedAt,
      tables: r.tables,
      rows: r.rows,
    });
    process.exit(0);
  } catch (error) {
    const message = error instanceof BackupError ? error.message : String(error);
    console.error(`[restore] drill failed: ${message}`);
    await record({ ok: false, dir: folder, detail: message });
    process.exit(1);
  }
}

const target = await databaseTarget(log);
try {
  const ring = await readMasterKeyring();
  if (!ring)
    throw new BackupError("RINGBEARER_MASTER_KEY is not set: the restore checks values decrypt with it");
  log(`Restoring ${dir} into ${target.describe}…`);
  await restoreBackup({
    ownerUrl: target.ownerUrl,
    appRole: target.appRole,
    dir,
    masterKey: ring,
    log,
  });
  log("Restored.");
} catch (error) {
  console.error(`[restore] ${error instanceof BackupError ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
