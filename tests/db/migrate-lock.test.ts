import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journal, migrate } from "@/db/migrate";
import { APP_ROLE, type FreshDatabase, freshDatabase } from "./fresh-database";

let fresh: FreshDatabase;
beforeAll(async () => {
  fresh = await freshDatabase("lock");
});
afterAll(async () => {
  await fresh?.drop();
});

describe("migrating under an advisory lock", () => {
  it("two migrations of one fresh database at once both succeed, and each migration is applied once", {
    timeout: 120_000,
  }, async () => {
    // Two sessions, as two app instances starting together would have.
    const [first, second] = await Promise.all([
      migrate(fresh.ownerUrl, APP_ROLE),
      migrate(fresh.ownerUrl, APP_ROLE),
    ]);
    const tags = await journal();
    expect([...first, ...second].sort()).toEqual([...tags].sort());
    expect(first.length === 0 || second.length === 0).toBe(true);

    const sql = postgres(fresh.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const ledger = await sql<{ tag: string }[]>`select tag from ringbearer_migrations order by tag`;
      expect(ledger.map((r) => r.tag)).toEqual([...tags].sort());
      // pg-boss's part ran under the same lock: its schema is there, at its version.
      const [{ version }] = await sql<{ version: number }[]>`select version from pgboss.version`;
      expect(version).toBeGreaterThan(0);
      // The lock is released when a migration ends: nobody holds it now.
      const held = await sql`select 1 from pg_locks where locktype = 'advisory' and database =
        (select oid from pg_database where datname = current_database())`;
      expect(held).toHaveLength(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
