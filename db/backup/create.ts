import { createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import postgres from "postgres";
import { copiedTables, copyOutStatement, hiddenTables, STABLE_OUTPUT } from "./catalog";
import { copyDigest, copyOut } from "./digest";
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  MANIFEST_FILE,
  type Manifest,
  type TableEntry,
} from "./manifest";
import { auditChains } from "./verify";

/**
 * Backs up every table through COPY in one REPEATABLE READ, READ ONLY transaction (one consistent snapshot,
 * no locks beyond what reads take, the app keeps serving), as the owner role. Values stay encrypted: the master
 * key is not in the backup. Written to `<dir>.partial` and renamed when complete, so a folder with a manifest
 * is always a whole backup.
 */
export async function createBackup(opts: { ownerUrl: string; dir: string; log?: (m: string) => void }) {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(opts.dir);
  const partial = `${dir}.partial`;
  if (existsSync(dir)) throw new BackupError(`${dir} already exists: choose a new folder for the backup`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(path.join(partial, "tables"), { recursive: true, mode: 0o700 });
  const sql = postgres(opts.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const manifest = await sql.begin("isolation level repeatable read read only", async (tx) => {
      await tx.unsafe(STABLE_OUTPUT);
      const hidden = await hiddenTables(tx);
      if (hidden.length > 0) {
        throw new BackupError(
          `the role ${new URL(opts.ownerUrl).username} cannot read every row of ${hidden.join(", ")} ` +
            "(row-level security): back up as the owner that ran the migrations",
        );
      }
      const migrations = (
        await tx<{ tag: string }[]>`select tag from ringbearer_migrations order by applied_at, tag`
      ).map((r) => r.tag);
      const [{ version }] = await tx<{ version: string }[]>`select version()`;
      const tables: TableEntry[] = [];
      for (const table of await copiedTables(tx)) {
        const file = `tables/${table.name}.copy.gz`;
        const digest = copyDigest();
        const gzip = createGzip();
        const written = pipeline(gzip, createWriteStream(path.join(partial, file), { mode: 0o600 }));
        await copyOut(tx, copyOutStatement(table), (chunk) => {
          digest.update(chunk);
          gzip.write(chunk);
        });
        gzip.end();
        await written;
        const { rows, sha256 } = digest.result();
        tables.push({ name: table.name, file, columns: table.columns, rows, sha256 });
        log(`${table.name}: ${rows} rows`);
      }
      const sequences = await tx<{ name: string; value: string | null }[]>`
        select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public'
         order by 1`;
      const chains = await auditChains(tx);
      // The master keys this backup needs (two, half-way through a master-key rotation).
      const [{ installation }] = await tx<{ installation: boolean }[]>`
        select to_regclass('public.installation_keys') is not null as installation`;
      const fingerprints = await tx<{ fingerprint: string }[]>`
        select kek_fingerprint as fingerprint from encryption_keys where key_status <> 'revoked'
         union select kek_fingerprint from ${installation ? tx`installation_keys` : tx`encryption_keys where false`}
         order by 1`;
      const broken = chains.filter((c) => c.brokenSeq !== null);
      if (broken.length > 0)
        log(
          `warning: ${broken.length} audit chain(s) already broken (recorded as such): ${broken.map((c) => c.organizationId).join(", ")}`,
        );
      return {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        migrations,
        postgres: version,
        tables,
        sequences: [...sequences],
        auditChains: chains,
        keyFingerprints: fingerprints.map((f) => f.fingerprint),
      } satisfies Manifest;
    });
    await writeFile(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
    await rename(partial, dir);
    return { dir, manifest };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
