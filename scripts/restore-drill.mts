/**
 * The restore drill (`npm run restore -- --verify <backup folder>`): proves a backup and a master key belong
 * together without touching any real database. The key is checked against the manifest's fingerprints first;
 * then the backup is restored into a throwaway database — on `--into <superuser URL>` (e.g. the machine's
 * PostgreSQL 15) or an embedded PostgreSQL in a temporary folder — which checks every file, loads every table,
 * reads them back against the manifest's counts and checksums, verifies each audit chain as it was at backup
 * time and decrypts a sample of every organization's values against their hashes. The database is dropped after.
 */

import { checkMasterKey, readManifest, restoreBackup } from "@/db/backup/restore";
import type { Keyring } from "@/db/vault";
import { throwawayDatabase } from "./throwaway-db.mts";

export type DrillReport = {
  into: string;
  /** When the backup was taken (its manifest). */
  backupCreatedAt: string;
  tables: number;
  rows: number;
  chains: number;
  broken: number;
  values: number;
  organizations: number;
};

export async function restoreDrill(opts: {
  dir: string;
  masterKey: Keyring | Buffer;
  adminUrl?: string;
  log?: (m: string) => void;
}): Promise<DrillReport> {
  const log = opts.log ?? (() => {});
  const manifest = await readManifest(opts.dir);
  checkMasterKey(manifest, opts.masterKey);
  const into = opts.adminUrl
    ? `a throwaway database on ${new URL(opts.adminUrl).host}`
    : "a throwaway embedded PostgreSQL";
  log(`Restoring into ${into}…`);
  const db = await throwawayDatabase({ adminUrl: opts.adminUrl, prefix: "rb_drill", migrate: false });
  try {
    const result = await restoreBackup({
      ownerUrl: db.ownerUrl,
      appRole: db.appRole,
      dir: opts.dir,
      masterKey: opts.masterKey,
      log,
    });
    return {
      into,
      backupCreatedAt: manifest.createdAt,
      tables: result.manifest.tables.length,
      rows: result.manifest.tables.reduce((n, t) => n + t.rows, 0),
      chains: result.chains,
      broken: result.broken,
      values: result.values,
      organizations: result.organizations,
    };
  } finally {
    await db.drop();
  }
}
