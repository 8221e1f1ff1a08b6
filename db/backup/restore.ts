import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import postgres from "postgres";
import { type Keyring, keksOf } from "@/db/vault";
import { keyFingerprint } from "@/lib/crypto";
import { journal, migrate } from "../migrate";
import { copiedTables, quoteIdent, STABLE_OUTPUT } from "./catalog";
import { copyDigest } from "./digest";
import { type LoadWatch, loadTable, refusalOf } from "./load-table";
import { BackupError, MANIFEST_FILE, type Manifest, manifestSchema, wrongMasterKey } from "./manifest";
import { verifyAuditChains, verifyDecryption, verifyTables } from "./verify";

export async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, MANIFEST_FILE), "utf8");
  } catch {
    throw new BackupError(`${dir} is not a backup: it has no ${MANIFEST_FILE}`);
  }
  const parsed = manifestSchema.safeParse(JSON.parse(raw));
  if (!parsed.success)
    throw new BackupError(`${dir}/${MANIFEST_FILE} is not a Ringbearer backup manifest (format 1)`);
  return parsed.data;
}

/**
 * Refuses a master key the backup's keys were not wrapped with, before anything is read or written. A backup made
 * half-way through a master-key rotation names two keys: it needs the ring of both.
 */
export function checkMasterKey(manifest: Manifest, masterKey: Keyring | Buffer) {
  const given = keksOf(masterKey).map(keyFingerprint);
  if (manifest.keyFingerprints?.some((f) => !given.includes(f)))
    throw new BackupError(wrongMasterKey(given.join(", "), manifest.keyFingerprints));
}

/** Every table file hashes to its manifest entry: a damaged or altered backup is refused before anything is written. */
export async function checkFiles(dir: string, manifest: Manifest) {
  for (const t of manifest.tables) {
    const digest = copyDigest();
    try {
      await pipeline(
        createReadStream(path.join(dir, t.file)),
        createGunzip(),
        digest.stream,
        async (source) => {
          for await (const chunk of source) void chunk;
        },
      );
    } catch {
      throw new BackupError(
        `${t.file} cannot be read or is not gzip: the backup is damaged; nothing was restored`,
      );
    }
    const got = digest.result();
    if (got.rows !== t.rows || got.sha256 !== t.sha256) {
      throw new BackupError(
        `${t.file} does not match the manifest (${got.rows} rows, checksum ${got.sha256.slice(0, 12)}…; ` +
          `expected ${t.rows} rows, ${t.sha256.slice(0, 12)}…): the backup is damaged or was altered; nothing was restored`,
      );
    }
  }
}

/** Refuses a database that already holds accounts or organizations, or a schema newer than the backup's. */
async function assertEmpty(sql: postgres.Sql, manifest: Manifest) {
  const [{ migrated }] = await sql<{ migrated: boolean }[]>`
    select to_regclass('public.ringbearer_migrations') is not null as migrated`;
  if (!migrated) return;
  const applied = (await sql<{ tag: string }[]>`select tag from ringbearer_migrations`).map((r) => r.tag);
  const newer = applied.filter((t) => !manifest.migrations.includes(t));
  if (newer.length > 0) {
    throw new BackupError(
      `the database is already migrated past the backup (${newer.join(", ")}): restore into an empty database`,
    );
  }
  const [{ users, organizations }] = await sql<{ users: number; organizations: number }[]>`
    select (select count(*) from users)::int as users, (select count(*) from organizations)::int as organizations`;
  if (users > 0 || organizations > 0) {
    throw new BackupError(
      `the database is not empty (${users} users, ${organizations} organizations): restore only into an empty ` +
        "database; nothing was changed",
    );
  }
}

export type RestoreOptions = {
  ownerUrl: string;
  appRole: string;
  dir: string;
  masterKey: Keyring | Buffer;
  log?: (m: string) => void;
};

/**
 * Restores a backup into an empty database, as the owner: checks every file, migrates the schema to the
 * backup's version, loads every table with COPY in foreign-key order in one transaction (user triggers off, so
 * audit rows, their hash chain and value history are loaded as they were, not written anew; row-level security
 * not forced for the owner while loading), restores sequences, then — before committing — reads every table
 * back against the manifest's counts and checksums, verifies each organization's audit chain and decrypts a
 * sample of values with the master key. Any failure rolls everything back. Then applies newer migrations.
 */
export async function restoreBackup(opts: RestoreOptions) {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(opts.dir);
  const manifest = await readManifest(dir);
  const known = await journal();
  const unknown = manifest.migrations.filter((t) => !known.includes(t));
  if (unknown.length > 0) {
    throw new BackupError(
      `the backup comes from a newer Ringbearer (migrations ${unknown.join(", ")}): upgrade first`,
    );
  }
  checkMasterKey(manifest, opts.masterKey);
  await checkFiles(dir, manifest);
  log(`Backup of ${manifest.createdAt}: ${manifest.tables.length} tables, files match the manifest.`);

  const sql = postgres(opts.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await assertEmpty(sql, manifest);
    await migrate(opts.ownerUrl, opts.appRole, { only: new Set(manifest.migrations) });
    const watch: LoadWatch = {};
    const result = await sql
      .begin(async (tx) => {
        await tx.unsafe(STABLE_OUTPUT);
        const catalog = new Map((await copiedTables(tx)).map((t) => [t.name, t]));
        const missing = manifest.tables.filter((t) => !catalog.has(t.name)).map((t) => t.name);
        if (missing.length > 0) throw new BackupError(`the schema has no table ${missing.join(", ")}`);
        const forced = new Set(
          (
            await tx<{ name: string }[]>`select c.relname as name from pg_class c
            join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relforcerowsecurity`
          ).map((r) => r.name),
        );
        for (const t of manifest.tables) {
          await tx.unsafe(`alter table ${quoteIdent(t.name)} disable trigger user`);
          if (forced.has(t.name))
            await tx.unsafe(`alter table ${quoteIdent(t.name)} no force row level security`);
        }
        // Rows the migrations themselves wrote (lookup rows, the password pepper, the job runner's key) are
        // replaced by the backup's: it is the source of truth.
        for (const t of [...manifest.tables].reverse()) await tx.unsafe(`delete from ${quoteIdent(t.name)}`);
        for (const t of manifest.tables) {
          await loadTable(tx, opts.ownerUrl, { ...t, file: path.join(dir, t.file) }, watch);
          log(`${t.name}: ${t.rows} rows loaded`);
        }
        // Audit rows of months the schema had no partition for went to the default partition: each month
        // gets its own now (0054), before the read-back.
        const [{ partitioned }] = await tx<{ partitioned: boolean }[]>`
          select to_regprocedure('audit_ensure_partitions(integer)') is not null as partitioned`;
        if (partitioned) await tx`select audit_ensure_partitions()`;
        for (const s of manifest.sequences) {
          if (s.value === null)
            await tx`select setval(${`public.${quoteIdent(s.name)}`}::regclass, 1, false)`;
          else await tx`select setval(${`public.${quoteIdent(s.name)}`}::regclass, ${s.value}::bigint, true)`;
        }
        await verifyTables(
          tx,
          manifest.tables,
          new Map([...catalog.values()].map((t) => [t.name, t.orderBy])),
        );
        const chains = await verifyAuditChains(tx, manifest.auditChains);
        const decrypted = { ...(await verifyDecryption(tx, opts.masterKey)), ...chains };
        for (const t of manifest.tables) {
          await tx.unsafe(`alter table ${quoteIdent(t.name)} enable trigger user`);
          if (forced.has(t.name))
            await tx.unsafe(`alter table ${quoteIdent(t.name)} force row level security`);
        }
        return decrypted;
      })
      .catch((e: unknown) => {
        // The backend was ended to stop a COPY the server refused: sql.begin reports the closed connection at
        // once; the refusal is the reason.
        throw watch.refusedTable ? refusalOf(watch.refusedTable) : e;
      });
    log(
      `Verified: row counts and checksums of ${manifest.tables.length} tables, ${result.chains} audit chains ` +
        `as at backup time (${result.broken} already broken then), ` +
        `${result.values} values of ${result.organizations} organizations decrypted with the master key.`,
    );
    const [current, previous] = keksOf(opts.masterKey);
    const newer = await migrate(opts.ownerUrl, opts.appRole, {
      masterKey: current,
      previousMasterKey: previous,
    });
    if (newer.length > 0) log(`Applied newer migrations: ${newer.join(", ")}`);
    return { manifest, ...result, migrated: newer };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
