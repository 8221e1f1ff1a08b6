/**
 * The restore drill (issue 16): `npm run restore -- --verify <backup>` restores into a throwaway database — on the
 * machine's PostgreSQL (15 in CI) and on an embedded one (18) — and reports counts, audit chains and decrypted
 * values; with another master key it refuses with the documented message before it creates anything.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBackup } from "@/db/backup/create";
import { BackupError } from "@/db/backup/manifest";
import { createDb, type Database, type Tx } from "@/db/client";
import { withContext } from "@/db/context";
import { environments } from "@/db/schema";
import { keyFingerprint, parseMasterKey } from "@/lib/crypto";
import { restoreDrill } from "@/scripts/restore-drill.mts";
import { type ThrowawayDatabase, throwawayDatabase } from "@/scripts/throwaway-db.mts";
import { createUser } from "@/server/auth/users";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { createOrganization } from "@/server/organizations/organizations";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { rawSql } from "./support";

let source: ThrowawayDatabase;
let database: Database;
let work: string;
let backup: string;
const masterKey = () => parseMasterKey(inject("masterKey"));
/** The machine's server (the suite's), its maintenance database. */
const adminUrl = () => {
  const u = new URL(inject("superUrl"));
  u.pathname = "/postgres";
  return u.toString();
};

async function drillDatabases() {
  const su = rawSql("super");
  try {
    return (
      await su<{ n: number }[]>`select count(*)::int as n from pg_database where datname like 'rb_drill_%'`
    )[0].n;
  } finally {
    await su.end();
  }
}

beforeAll(async () => {
  // A small installation of its own: an organization with values under a rotated data key (two versions).
  source = await throwawayDatabase({
    adminUrl: adminUrl(),
    prefix: "rb_drillsrc",
    masterKey: inject("masterKey"),
  });
  database = createDb(source.databaseUrl);
  const owner = await createUser(database, {
    email: `drill-${randomBytes(3).toString("hex")}@test.example`,
    name: "Drill",
    password: "correct horse battery staple",
  });
  const org = await createOrganization(database, {
    slug: "drill",
    name: "Drill",
    timeZone: "UTC",
    ownerId: owner.id,
    defaultWindow: false,
  });
  const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
  const run = <T>(fn: (tx: Tx) => Promise<T>) => withContext(ctx, fn, database);
  const [staging] = await run((tx) => tx.select().from(environments).where(eq(environments.name, "staging")));
  for (const name of ["STRIPE_SECRET_KEY", "RESEND_API_KEY"]) {
    const variable = await run((tx) =>
      createVariable(tx, ctx, {
        name,
        variableType: "api_key",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    await run((tx) =>
      setValue(tx, ctx, {
        variableId: variable.id,
        environmentId: staging.id,
        value: `${name}-v1`,
        expectedVersion: 0,
      }),
    );
  }
  const rotation = await run((tx) => startRotation(tx, ctx));
  expect(await runRotation(ctx, rotation.id, { database })).toEqual({
    state: "finished",
    status: "completed",
  });
  work = await mkdtemp(path.join(os.tmpdir(), "ringbearer-drill-"));
  backup = path.join(work, "backup");
  await createBackup({ ownerUrl: source.ownerUrl, dir: backup });
}, 120_000);

afterAll(async () => {
  await database?.$client.end({ timeout: 5 });
  await source?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the restore drill", () => {
  it("restores into a throwaway database on the machine's PostgreSQL, verifies it, and drops it", async () => {
    const before = await drillDatabases();
    const report = await restoreDrill({ dir: backup, masterKey: masterKey(), adminUrl: adminUrl() });
    expect(report).toMatchObject({ chains: 1, broken: 0, values: 2, organizations: 1 });
    expect(report.rows).toBeGreaterThan(10);
    expect(await drillDatabases()).toBe(before);
  }, 120_000);

  it("restores into an embedded PostgreSQL too", async () => {
    const report = await restoreDrill({ dir: backup, masterKey: masterKey() });
    expect(report).toMatchObject({
      into: "a throwaway embedded PostgreSQL",
      chains: 1,
      values: 2,
      organizations: 1,
    });
  }, 180_000);

  it("refuses another master key with the documented message, before it creates a database", async () => {
    const before = await drillDatabases();
    const other = randomBytes(32);
    const refused = await restoreDrill({ dir: backup, masterKey: other, adminUrl: adminUrl() }).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(BackupError);
    expect(refused.message).toBe(
      `the master key given (fingerprint ${keyFingerprint(other)}) is not the one this backup's keys were wrapped ` +
        `with (fingerprint ${keyFingerprint(masterKey())}): restore with the RINGBEARER_MASTER_KEY kept with it; ` +
        "nothing was restored",
    );
    expect(await drillDatabases()).toBe(before);
  });

  it("is `npm run restore -- --verify`: its report, recorded in the installation's database, and exit status 1 with the message for a wrong key", async () => {
    const run = promisify(execFile);
    // The installation the drill records in is the backup's own (its owner URL), as an operator runs it.
    const cli = (key: string) =>
      run(
        process.execPath,
        ["--import", "tsx", "scripts/restore.mts", "--verify", backup, "--into", adminUrl()],
        {
          env: {
            ...process.env,
            RINGBEARER_MASTER_KEY: key,
            DATABASE_URL: source.databaseUrl,
            DATABASE_OWNER_URL: source.ownerUrl,
          },
        },
      );
    const ok = await cli(inject("masterKey"));
    expect(ok.stdout).toMatch(/Drill passed: \d+ tables, \d+ rows match the manifest; 1 audit chains verify/);
    const wrong = await cli(randomBytes(32).toString("base64")).catch((e) => e);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /drill failed: the master key given \(fingerprint [0-9a-f]{16}\) is not the one/,
    );
    const owner = postgres(source.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const drills = await owner<
        { ok: boolean; folder: string; backup_created_at: Date | null; detail: string | null }[]
      >`
        select ok, folder, backup_created_at, detail from ops_restore_drills order by finished_at`;
      const manifest = JSON.parse(await readFile(path.join(backup, "manifest.json"), "utf8"));
      expect(drills).toHaveLength(2);
      expect(drills[0]).toMatchObject({ ok: true, folder: path.basename(backup), detail: null });
      expect(drills[0].backup_created_at?.toISOString()).toBe(new Date(manifest.createdAt).toISOString());
      expect(drills[1]).toMatchObject({ ok: false, backup_created_at: null });
      expect(drills[1].detail).toMatch(/is not the one/);
    } finally {
      await owner.end();
    }
  }, 120_000);
});
