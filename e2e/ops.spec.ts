import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asUser } from "./support";

/** `npm run ops:grant` against the e2e server's embedded database (e2e/server.mjs), as an operator runs it. */
function opsGrant(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RINGBEARER_DATA_DIR: ".data/e2e",
    RINGBEARER_PG_PORT: process.env.E2E_PG_PORT ?? "54400",
  };
  for (const name of ["DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_MONITOR_URL"]) delete env[name];
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/ops-grant.mts", ...args], {
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
}

test.describe.configure({ mode: "serial" });

test.beforeAll(() => opsGrant("oncall@demo.test"));
test.afterAll(() => opsGrant("--revoke", "oncall@demo.test"));

test("an operator opens the operator console from the header and reads the database, its tables and indexes @phone", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "oncall@demo.test");
  await page.getByRole("link", { name: "Operations" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Database" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Health/ })).toBeVisible();
  // The embedded default reads on its monitoring role: the full view, no warning.
  await expect(page.getByText(/Limited view/)).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Sessions" }).getByRole("row").nth(1)).toBeVisible();
  await expect(page.getByRole("table", { name: "Job queues" })).toContainText("drift-scan");
  await expectAccessible(page, "/ops");

  await page.getByRole("navigation", { name: "Operations" }).getByRole("link", { name: "Tables" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tables" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Table sizes" })).toContainText("environment_variable_values");
  await expectAccessible(page, "/ops/tables");

  await page.getByRole("navigation", { name: "Operations" }).getByRole("link", { name: "Indexes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Indexes" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Unused indexes" })).toBeVisible();
  await expect(page.getByText(/Not available: pg_stat_statements is not installed/)).toBeVisible();
  await expectAccessible(page, "/ops/indexes");
  await context.close();
});

test("an organization's admin who is no operator is told who may open it", async ({ browser }) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await expect(page.getByRole("link", { name: "Operations" })).toHaveCount(0);
  await page.goto("/ops");
  await expect(page.getByText("This console is for the installation's operators.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await context.close();
});
