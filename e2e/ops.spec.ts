import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asSuperuser, superuserConnection } from "./db";
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

  await page.getByRole("navigation", { name: "Operations" }).getByRole("link", { name: "Pre-check" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pre-check" })).toBeVisible();
  await page.getByRole("button", { name: "Run the pre-check now" }).click();
  await expect(page.getByRole("status")).toContainText(/Checked \d+ of \d+ organization\(s\)/);
  await expectAccessible(page, "/ops/precheck");
  await context.close();
});

test("an operator sees an alert for a session left idle in its transaction, acknowledges it and ends the session", async ({
  browser,
}) => {
  // Planted: a session idle in its transaction, and its alert (with the operator's threshold of one second set
  // below, the job would raise the same at its next minute, and keeps it while the session stays idle).
  // As the app role: the monitoring role may end any session but a superuser's.
  const idle = superuserConnection("app");
  try {
    await idle.unsafe("begin");
    const [{ pid }] = await idle<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await asSuperuser(async (sql) => {
      await sql`insert into ops_alerts (rule, subject, severity, message) values ('idle_in_transaction', ${String(pid)},
                'warning', ${`Session ${pid} (ringbearer_app) has sat idle in its transaction for 2 s.`})`;
    });
    const { page, context } = await asUser(browser, "oncall@demo.test");
    await page.goto("/ops");
    // Sessions idle in a transaction for a second count as stuck from now on.
    await page.getByText("Rules", { exact: true }).click();
    const rule = page.getByRole("form", { name: "Threshold of idle_in_transaction" });
    await rule.getByRole("textbox").fill("1");
    await rule.getByRole("button", { name: "Save" }).click();
    await expect(rule.getByText("Saved.")).toBeVisible();
    await expect(rule.getByText(/set by an operator/)).toBeVisible();
    const alert = page
      .getByRole("list", { name: "Open alerts" })
      .getByRole("listitem", { name: "idle_in_transaction alert" });
    await expect(alert).toContainText(`Session ${pid} (ringbearer_app) has sat idle in its transaction`);
    await alert.getByRole("button", { name: "Acknowledge the idle_in_transaction alert" }).click();
    await expect(alert).toContainText("acknowledged by oncall@demo.test");
    await expect(alert.getByRole("button", { name: /Acknowledge/ })).toHaveCount(0);

    // The session is flagged in the table, and the operator ends it with a reason.
    const form = page.getByRole("form", { name: `End session ${pid}` });
    await form.getByLabel("How").selectOption("terminate");
    await form.getByLabel("Reason").fill("Left open by a manual fix; holds the xmin horizon");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("form", { name: `End session ${pid}` })).toHaveCount(0);
    await expect
      .poll(() =>
        asSuperuser((sql) => sql`select 1 from pg_stat_activity where pid = ${pid}`).then((r) => r.length),
      )
      .toBe(0);
    await context.close();
  } finally {
    await idle.end({ timeout: 1 }).catch(() => {});
    await asSuperuser((sql) => sql`delete from ops_alert_thresholds where rule = 'idle_in_transaction'`);
  }
});

test("an alert raised while an operator watches /ops shows up without a reload", async ({ browser }) => {
  const { page, context } = await asUser(browser, "oncall@demo.test");
  const subject = `e2e-live-${Date.now()}`;
  try {
    await page.goto("/ops");
    await expect(page.locator("html[data-live=connected]")).toHaveCount(1);
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    // As the integrity checks record one (the minute's job leaves their rules alone): the row, then the notice
    // its recorder sends.
    await asSuperuser(async (sql) => {
      await sql`insert into ops_alerts (rule, subject, severity, message, raised_sent_at)
                values ('chain_break', ${subject}, 'critical', 'The audit chain of E2E breaks at row 7.', now())`;
      await sql`select pg_notify('ringbearer_changes', ${JSON.stringify({ org: "installation", kind: "ops_alerts", count: 1 })})`;
    });
    await expect(
      page.getByRole("list", { name: "Open alerts" }).getByText("The audit chain of E2E breaks at row 7."),
    ).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
  } finally {
    await context.close();
    await asSuperuser((sql) => sql`delete from ops_alerts where subject = ${subject}`);
  }
});

test("an operator runs the integrity checks and reads each organization's result", async ({ browser }) => {
  const { page, context } = await asUser(browser, "oncall@demo.test");
  await page.goto("/ops/integrity");
  await expect(page.getByRole("heading", { level: 1, name: "Integrity" })).toBeVisible();
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByText(/^Checked \d+ organization\(s\): all passed\.$/)).toBeVisible({
    timeout: 30_000,
  });
  const demo = page
    .getByRole("table", { name: "Integrity by organization" })
    .getByRole("row", { name: /Demo/ });
  await expect(demo).toContainText("passed");
  await expect(demo).toContainText("intact");
  await expectAccessible(page, "/ops/integrity");
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
