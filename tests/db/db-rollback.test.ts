import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { journal, migrate, pendingMigrations, rollback } from "@/db/migrate";
import { parseMasterKey } from "@/lib/crypto";
import { APP_ROLE, type FreshDatabase, freshDatabase } from "./fresh-database";

let fresh: FreshDatabase;
beforeAll(async () => {
  fresh = await freshDatabase("rollback");
  await migrate(fresh.ownerUrl, APP_ROLE, { masterKey: parseMasterKey(inject("masterKey")) });
});
afterAll(async () => {
  await fresh?.drop();
});

describe("npm run db:rollback", () => {
  it("rolls back the last applied migration without migrating first: a pending one stays pending", {
    timeout: 120_000,
  }, async () => {
    const tags = await journal();
    const [previous, last] = tags.slice(-2);
    await rollback(fresh.ownerUrl, APP_ROLE, 1);
    expect(await pendingMigrations(fresh.ownerUrl)).toEqual([last]);

    // The script itself (what `npm run db:rollback` runs), with a complete configuration, as an operator has.
    const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db.mts", "rollback"], {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: fresh.appUrl,
        DATABASE_OWNER_URL: fresh.ownerUrl,
        RINGBEARER_MASTER_KEY: inject("masterKey"),
        NEXTAUTH_SECRET: "a-test-secret-of-at-least-32-characters",
      },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Rolled back: ${previous}`);
    expect(run.stdout).not.toMatch(/Applied migrations/);
    expect(await pendingMigrations(fresh.ownerUrl)).toEqual([previous, last]);
  });
});
