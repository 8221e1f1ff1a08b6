import { describe, expect, inject, it } from "vitest";
import { migrate, pendingMigrations, rollback } from "@/db/migrate";
import { appRoleProblems } from "@/db/role-check";
import { parseMasterKey } from "@/lib/crypto";
import { rawSql } from "./support";

const tables = async () => {
  const s = rawSql("super");
  // Partitions (the audit's months, 0054) come and go with the months their rows are from: not counted.
  const rows = await s<{ n: number }[]>`select count(*)::int as n from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`;
  const [forced] = await s<
    { n: number }[]
  >`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity and c.relforcerowsecurity`;
  await s.end();
  return { tables: rows[0].n, forced: forced.n };
};

describe("migrations", () => {
  it("roll all the way down and up again", async () => {
    const ownerUrl = inject("ownerUrl");
    const before = await tables();
    expect(before.forced).toBeGreaterThanOrEqual(15);
    const all = (await rollback(ownerUrl, "rb_test_app", 0)).length;
    expect(all).toBe(0);
    const undone = await rollback(ownerUrl, "rb_test_app", 100);
    expect(undone.length).toBeGreaterThanOrEqual(2);
    expect((await tables()).tables).toBe(1); // only the migrations ledger is left
    expect(await pendingMigrations(ownerUrl)).toEqual([...undone].reverse());
    await migrate(ownerUrl, "rb_test_app", { masterKey: parseMasterKey(inject("masterKey")) });
    expect(await tables()).toEqual(before);
  });
});

describe("the app role check", () => {
  it("accepts the app role and names what is wrong with the owner and the superuser", async () => {
    expect(await appRoleProblems(inject("databaseUrl"))).toEqual([]);
    expect((await appRoleProblems(inject("ownerUrl"))).join()).toMatch(/owns \d+ table/);
    expect((await appRoleProblems(inject("superUrl"))).join()).toMatch(/superuser/);
  });
});
