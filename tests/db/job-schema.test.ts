/**
 * pg-boss owns its schema (issue 13, item 7): `migrate` has pg-boss create or migrate `pgboss` as the owner,
 * and the app role — which runs pg-boss with migrate off and owns nothing there — keeps its privileges on
 * whatever pg-boss makes, now and after a pg-boss upgrade.
 */
import { getConstructionPlans, getRollbackPlans, type PgBoss } from "pg-boss";
import postgres from "postgres";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { journal, migrate } from "@/db/migrate";
import { createBoss } from "@/server/job-boss";
import { APP_ROLE, type FreshDatabase, freshDatabase } from "./fresh-database";

const databases: FreshDatabase[] = [];
const bosses: PgBoss[] = [];
const fresh = async (label: string) => {
  const db = await freshDatabase(label);
  databases.push(db);
  return db;
};
const appBoss = async (url: string) => {
  const boss = createBoss(url, { supervise: false, schedule: false, max: 2 });
  bosses.push(boss);
  boss.on("error", () => {});
  await boss.start();
  return boss;
};
const connect = (url: string) => postgres(url, { max: 1, onnotice: () => {} });

afterEach(async () => {
  for (const b of bosses.splice(0)) await b.stop({ graceful: false }).catch(() => {});
});
afterAll(async () => {
  for (const db of databases) await db.drop();
});

/** Sends a job and has a worker of this instance do it; resolves with what the worker received. */
async function sendAndWork(boss: PgBoss, queue: string) {
  await boss.createQueue(queue);
  const received = new Promise<unknown>((resolve) => {
    void boss.work(queue, { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job.data));
  });
  expect(await boss.send(queue, { hello: "world" })).toBeTruthy();
  return received;
}

/** What the app role owns in pgboss, and whether it may create there. */
async function appRoleFootprint(appUrl: string) {
  const app = connect(appUrl);
  try {
    const [row] = await app<{ owned: number; create: boolean; schemaOwner: string }[]>`
      select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'pgboss' and pg_has_role(current_user, c.relowner, 'USAGE')) as owned,
             has_schema_privilege('pgboss', 'create') as create,
             (select nspowner::regrole::text from pg_namespace where nspname = 'pgboss') as "schemaOwner"`;
    return row;
  } finally {
    await app.end({ timeout: 5 });
  }
}

describe("a fresh database", () => {
  it("gets pg-boss's schema from pg-boss at migrate time; the app role sends, works and schedules jobs", {
    timeout: 120_000,
  }, async () => {
    const db = await fresh("jobs");
    await migrate(db.ownerUrl, APP_ROLE);
    expect(await appRoleFootprint(db.appUrl)).toEqual({
      owned: 0,
      create: false,
      schemaOwner: "rb_test_owner",
    });

    const boss = await appBoss(db.appUrl); // migrate: false: it refuses a schema at another version
    expect(await sendAndWork(boss, "probe")).toEqual({ hello: "world" });
    await boss.schedule("probe", "*/5 * * * *", { from: "schedule" }, { tz: "UTC" });
    expect((await boss.getSchedules()).map((s) => [s.name, s.cron])).toEqual([["probe", "*/5 * * * *"]]);
  });
});

describe("a pg-boss upgrade", () => {
  it("leaves the app role its privileges on what the owner creates in pgboss later", {
    timeout: 120_000,
  }, async () => {
    const db = await fresh("upgrade");
    await migrate(db.ownerUrl, APP_ROLE);
    // What a later pg-boss's migration does, as the owner: a new table with a sequence, and a new function.
    const owner = connect(db.ownerUrl);
    await owner`create table pgboss.upgrade_probe (id bigserial primary key, note text not null)`;
    await owner`create function pgboss.upgrade_probe_count() returns bigint language sql
      as 'select count(*) from pgboss.upgrade_probe'`;
    await owner.end({ timeout: 5 });

    const app = connect(db.appUrl);
    try {
      await app`insert into pgboss.upgrade_probe (note) values ('from the app role')`;
      await app`update pgboss.upgrade_probe set note = 'changed'`;
      expect(await app`select note from pgboss.upgrade_probe`).toEqual([{ note: "changed" }]);
      expect(await app`select pgboss.upgrade_probe_count()::int as n`).toEqual([{ n: 1 }]);
      await app`delete from pgboss.upgrade_probe`;
    } finally {
      await app.end({ timeout: 5 });
    }
    expect((await appRoleFootprint(db.appUrl)).owned).toBe(0);
  });

  it("adopts a schema made by migration 0015 at an older pg-boss version: pg-boss migrates it, queued jobs survive", {
    timeout: 120_000,
  }, async () => {
    const db = await fresh("adopt");
    // A database of the previous release: migrated to 0025, with the pgboss schema 0015 copied by hand.
    const upTo0025 = (await journal()).filter((t) => t < "0026");
    await migrate(db.ownerUrl, APP_ROLE, { only: new Set(upTo0025) });
    const owner = connect(db.ownerUrl);
    await owner.unsafe(getConstructionPlans("pgboss"));
    await owner.unsafe(`GRANT USAGE ON SCHEMA pgboss TO ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${APP_ROLE};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${APP_ROLE};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${APP_ROLE};`);
    const old = await appBoss(db.appUrl);
    await old.createQueue("kept");
    const queued = await old.send("kept", { queued: "before the upgrade" });
    await old.stop({ graceful: false });
    // ...whose pg-boss was one schema version older than today's.
    const [{ version }] = await owner<{ version: number }[]>`select version from pgboss.version`;
    await owner.unsafe(getRollbackPlans("pgboss", version));
    const [{ version: older }] = await owner<{ version: number }[]>`select version from pgboss.version`;
    expect(older).toBe(version - 1);

    await migrate(db.ownerUrl, APP_ROLE);
    const [{ version: now }] = await owner<{ version: number }[]>`select version from pgboss.version`;
    // The index builds that migration hands to pg-boss's background runner were done before migrate returned.
    const builds = await owner<
      { status: string }[]
    >`select status from pgboss.bam where version = ${version}`;
    await owner.end({ timeout: 5 });
    expect(now).toBe(version);
    expect(builds.length).toBeGreaterThan(0);
    expect(builds.filter((b) => b.status !== "completed")).toEqual([]);
    expect(await appRoleFootprint(db.appUrl)).toMatchObject({ owned: 0, create: false });
    const boss = await appBoss(db.appUrl);
    expect(await boss.getJobById("kept", queued as string)).toMatchObject({
      data: { queued: "before the upgrade" },
    });
    expect(await sendAndWork(boss, "after")).toEqual({ hello: "world" });
  });
});
