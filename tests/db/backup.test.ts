import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBackup } from "@/db/backup/create";
import { BackupError, type Manifest } from "@/db/backup/manifest";
import { restoreBackup } from "@/db/backup/restore";
import { createDb, type Database } from "@/db/client";
import { withContext } from "@/db/context";
import { verifyChainIn } from "@/db/repos/audit";
import { parseMasterKey } from "@/lib/crypto";
import { revealValue, setValue } from "@/server/values/values";
import { rawSql } from "./support";
import { valueFixture } from "./value-fixture";

/**
 * Review finding (resilience 8): pg_dump of the Debian client cannot dump the embedded PostgreSQL 18. `npm run
 * backup` / `npm run restore` (db/backup) copy every table through COPY in one snapshot and restore into an empty
 * database, verified. The round trip runs on the suite's server (embedded 18, and PostgreSQL 15 in CI): the suite's
 * database (every earlier test's data, audit chains an earlier test broke on purpose included) is backed up and
 * restored into a second, empty database on the same server.
 */
type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let fixture: Fixture;
let work: string;
let backupDir: string;
let manifest: Manifest;
const target = {
  name: `rb_restore_${randomBytes(4).toString("hex")}`,
  ownerUrl: "",
  appUrl: "",
};
let restored: Database | undefined;
const masterKey = () => parseMasterKey(inject("masterKey"));
const appRole = () => new URL(inject("databaseUrl")).username;

beforeAll(async () => {
  fixture = await valueFixture();
  await fixture.set("STRIPE_SECRET_KEY", "development", "sk_test_51Hdevelopment000", 0);
  work = await mkdtemp(path.join(os.tmpdir(), "ringbearer-backup-"));
  backupDir = path.join(work, "backup");
  const su = rawSql("super");
  try {
    await su.unsafe(`create database "${target.name}" owner "${new URL(inject("ownerUrl")).username}"`);
  } finally {
    await su.end();
  }
  const retarget = (url: string) => {
    const u = new URL(url);
    u.pathname = `/${target.name}`;
    return u.toString();
  };
  target.ownerUrl = retarget(inject("ownerUrl"));
  target.appUrl = retarget(inject("databaseUrl"));
});

afterAll(async () => {
  await restored?.$client.end({ timeout: 5 });
  const su = rawSql("super");
  try {
    await su.unsafe(`drop database if exists "${target.name}" with (force)`);
  } finally {
    await su.end();
  }
  if (work) await rm(work, { recursive: true, force: true });
});

const restore = (dir: string, key = masterKey()) =>
  restoreBackup({ ownerUrl: target.ownerUrl, appRole: appRole(), dir, masterKey: key });

async function targetRows() {
  const sql = (await import("postgres")).default(target.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ migrated }] = await sql<{ migrated: boolean }[]>`
      select to_regclass('public.users') is not null as migrated`;
    if (!migrated) return { users: 0, values: 0 };
    const [row] = await sql<{ users: number; values: number }[]>`
      select (select count(*) from users)::int as users,
             (select count(*) from environment_variable_values)::int as values`;
    return row;
  } finally {
    await sql.end();
  }
}

describe("backup and restore", () => {
  it("backs up every table in one snapshot, with counts and checksums, and no master key", async () => {
    ({ manifest } = await createBackup({ ownerUrl: inject("ownerUrl"), dir: backupDir }));
    const names = manifest.tables.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["users", "environment_variable_values", "encryption_keys"]),
    );
    expect(names).not.toContain("ringbearer_migrations");
    // Foreign keys point backwards: organizations before their environments, values after their variables.
    expect(names.indexOf("organizations")).toBeLessThan(names.indexOf("environments"));
    expect(names.indexOf("environment_variables")).toBeLessThan(names.indexOf("environment_variable_values"));
    expect(manifest.migrations.at(-1)).toMatch(/^\d{4}_/);
    const values = manifest.tables.find((t) => t.name === "environment_variable_values");
    expect(values?.rows).toBeGreaterThanOrEqual(4);
    expect(manifest.auditChains.find((c) => c.organizationId === fixture.org.id)?.brokenSeq).toBeNull();
    // Ciphertext only: neither a value nor the master key is anywhere in the backup.
    const all = await Promise.all(
      manifest.tables.map(async (t) => gunzipSync(await readFile(path.join(backupDir, t.file))).toString()),
    );
    const text = all.join("\n") + (await readFile(path.join(backupDir, "manifest.json"), "utf8"));
    expect(text).not.toContain("sk_test_51Hdevelopment000");
    expect(text).not.toContain(inject("masterKey"));
  });

  it("refuses a backup whose table file was altered, before writing anything", async () => {
    const tampered = path.join(work, "tampered");
    await cp(backupDir, tampered, { recursive: true });
    const file = path.join(tampered, "tables", "environment_variable_values.copy.gz");
    const rows = gunzipSync(await readFile(file)).toString();
    // One ciphertext swapped for another row's: same size, same row count.
    const ciphertexts = rows.match(/\tv1\.[^\t]+/g) ?? [];
    expect(ciphertexts.length).toBeGreaterThanOrEqual(2);
    await writeFile(file, gzipSync(rows.replace(ciphertexts[0] as string, ciphertexts[1] as string)));
    const refused = await restore(tampered).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupError);
    expect(String(refused)).toMatch(/environment_variable_values\.copy\.gz does not match the manifest/);
    expect(await targetRows()).toEqual({ users: 0, values: 0 });
  });

  it("refuses a master key that is not the backup's, leaving the database empty", async () => {
    const refused = await restore(backupDir, randomBytes(32)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupError);
    expect(String(refused)).toMatch(/master key given \(fingerprint \w+\) is not the one/);
    expect(await targetRows()).toEqual({ users: 0, values: 0 });
  });

  it("refuses a backup with a row its foreign keys refuse, naming the table, and restores nothing", async () => {
    // Planted behind the app's back (triggers and foreign keys off), backed up, then taken out again.
    const su = rawSql("super");
    const broken = path.join(work, "broken");
    try {
      await su.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`insert into sync_targets (organization_id, environment_id, name, kind, location, secret_sealed,
                   encryption_key_id, scan_interval_minutes, created_by)
                 values (${fixture.org.id}, ${fixture.org.env.staging}, 'orphan', 'http', 'https://x.example', 'x',
                   'no-such-key', 15, ${fixture.org.owner.userId})`;
      });
      await createBackup({ ownerUrl: inject("ownerUrl"), dir: broken });
    } finally {
      await su.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`delete from sync_targets where encryption_key_id = 'no-such-key'`;
      });
      await su.end();
    }
    const refused = await restore(broken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupError);
    expect(String(refused)).toMatch(/refused a row of sync_targets .*nothing was restored/);
    expect(await targetRows()).toEqual({ users: 0, values: 0 });
  }, 120_000);

  it("restores into an empty database: same rows, audit chains as they were, values decrypt, RLS forced", async () => {
    const result = await restore(backupDir);
    expect(result.values).toBeGreaterThan(0);
    expect((await targetRows()).values).toBe(
      manifest.tables.find((t) => t.name === "environment_variable_values")?.rows,
    );
    restored = createDb(target.appUrl, { max: 2 });
    const { org, ids } = fixture;
    const reveal = (environmentId: string) =>
      withContext(
        org.owner,
        (tx) => revealValue(tx, org.owner, { variableId: ids.STRIPE_SECRET_KEY, environmentId }),
        restored,
      ).then((r) => r.value);
    // As the app role, through RLS, with the master key: the values read back.
    expect(await reveal(org.env.development)).toBe("sk_test_51Hdevelopment000");
    expect(await reveal(org.env.staging)).toBe("sk_test_51Hstagingkey0000");
    // Triggers are on again: a new write appends to the restored chain, which still verifies.
    await withContext(
      org.owner,
      (tx) =>
        setValue(tx, org.owner, {
          variableId: ids.FEATURE_CHECKOUT,
          environmentId: org.env.staging,
          value: "false",
          expectedVersion: 1,
        }),
      restored,
    );
    const verdict = await withContext(org.owner, (tx) => verifyChainIn(tx, org.id), restored);
    expect(verdict.brokenSeq).toBeNull();
    const sql = (await import("postgres")).default(target.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const unforced =
        await sql`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relrowsecurity and not c.relforcerowsecurity`;
      expect(unforced.map((r) => r.relname)).toEqual([]);
      const disabled = await sql`select tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and t.tgenabled = 'D'`;
      expect(disabled).toEqual([]);
    } finally {
      await sql.end();
    }
  });

  it("refuses to restore into a database that is not empty", async () => {
    const refused = await restore(backupDir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupError);
    expect(String(refused)).toMatch(/not empty .*restore only into an empty database/);
  });
});
