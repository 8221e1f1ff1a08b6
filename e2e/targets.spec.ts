import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { asSuperuser } from "./db";
import { asUser, ORG } from "./support";
import { startTargetReceiver } from "./target";

test("an admin connects staging, pushes, changes the target's settings, rotates its secret and deactivates it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "rb-e2e-staging-"));
  const secret = "e2e-shared-secret-for-the-staging-receiver-01";
  const receiver = await startTargetReceiver(path.join(dir, "staging.env"), secret);
  const admin = await asUser(browser, "admin@demo.test");
  const page = admin.page;
  try {
    await page.goto(`/o/${ORG}/drift`);
    const add = page.getByRole("form", { name: "Add a sync target" });
    // The cloud metadata address (or any private one the operator did not allow) is refused at the field.
    await add.getByLabel("Environment").selectOption({ label: "staging" });
    await add.getByLabel("Target name").fill("metadata");
    await add.getByLabel("Kind").selectOption("http");
    await add.getByLabel("Location").fill("http://169.254.169.254/latest/meta-data");
    await add.getByRole("button", { name: "Add target" }).click();
    await expect(add).toContainText(
      "Ringbearer does not connect to private, loopback or link-local addresses",
    );
    await expect(page.getByRole("row").filter({ hasText: "metadata" })).toHaveCount(0);

    await add.getByLabel("Environment").selectOption({ label: "staging" });
    await add.getByLabel("Target name").fill("web-staging");
    await add.getByLabel("Kind").selectOption("http");
    await add.getByLabel("Location").fill(receiver.url);
    await add.getByLabel("Shared secret").fill(secret);
    await add.getByRole("button", { name: "Add target" }).click();
    const row = page
      .getByRole("table", { name: "Sync targets" })
      .getByRole("row")
      .filter({ hasText: "web-staging" });
    await expect(row).toBeVisible();

    await row.getByRole("button", { name: "Test web-staging" }).click();
    await expect(row.getByRole("status")).toContainText("Connected: 0 key(s) deployed");
    await row.getByRole("button", { name: "Push to web-staging" }).click();
    await expect(row.getByRole("status")).toContainText(/Pushed \d+ key\(s\), deleted 0/);
    const syncs = page.getByRole("table", { name: "Recent syncs" });
    await expect(syncs).toContainText("completed");

    // Rolling back pushes again: it asks first, naming the target, its environment and the versions it sends.
    const rows = await syncs.getByRole("row").count();
    await syncs
      .getByRole("button", { name: /^Roll back to this \(web-staging/ })
      .first()
      .click();
    const confirm = page.getByRole("dialog", { name: /^Roll back web-staging/ });
    await expect(confirm).toContainText("web-staging (staging)");
    await expect(confirm).toContainText(/DATABASE_URL v\d+/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);
    await page.reload();
    await expect(syncs.getByRole("row")).toHaveCount(rows);
    await syncs
      .getByRole("button", { name: /^Roll back to this \(web-staging/ })
      .first()
      .click();
    await confirm.getByRole("button", { name: "Roll back and push" }).click();
    await expect(syncs.getByRole("row")).toHaveCount(rows + 1);
    await expect(syncs.getByRole("row").nth(1)).toContainText("rollback");

    await row.getByText("Settings", { exact: true }).click();
    const settings = row.getByRole("form", { name: "Settings of web-staging" });
    await settings.getByLabel("Scan every (minutes)").fill("5");
    await settings.getByLabel(/Push automatically/).check();
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(settings.getByRole("status")).toContainText("Settings saved.");
    await expect(row).toContainText("scans every 5 min");
    await expect(row).toContainText("pushes automatically");

    // A generated secret is shown once; until the receiver has it, the console cannot talk to it.
    const rotate = row.getByRole("form", { name: "Rotate the secret of web-staging" });
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    await expect(rotate.getByTestId("rotated-secret")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
    await row.getByRole("button", { name: "Test web-staging" }).click();
    await expect(row.getByRole("alert")).toContainText("check the shared secret");

    await row.getByRole("button", { name: "Deactivate target" }).click();
    await expect(row).toContainText("inactive");
    await expect(row.getByRole("button", { name: "Scan web-staging" })).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Push to web-staging" })).toHaveCount(0);

    // A developer sees the target but not its settings.
    const dev = await asUser(browser, "dev@demo.test");
    await dev.page.goto(`/o/${ORG}/drift`);
    const devRow = dev.page
      .getByRole("table", { name: "Sync targets" })
      .getByRole("row")
      .filter({ hasText: "web-staging" });
    await expect(devRow).toBeVisible();
    await expect(devRow.getByText("Settings", { exact: true })).toHaveCount(0);
    await dev.context.close();
    // A viewer cannot push anywhere: no rollback offered.
    const viewer = await asUser(browser, "viewer@demo.test");
    await viewer.page.goto(`/o/${ORG}/drift`);
    await expect(viewer.page.getByRole("table", { name: "Recent syncs" })).toContainText("web-staging");
    await expect(viewer.page.getByRole("button", { name: /Roll back/ })).toHaveCount(0);
    await viewer.context.close();
  } finally {
    await admin.context.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("a .env file target stays in the organization's folder: a look-alike path is refused at the field, a symlink out fails with a clear message", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const [{ id: orgId }] = await asSuperuser(
    (sql) => sql<{ id: string }[]>`select id from organizations where slug = ${ORG}`,
  );
  // e2e/server.mjs: RINGBEARER_DATA_DIR=.data/e2e, so the file root is .data/e2e/targets.
  const file = path.join(".data/e2e/targets", orgId, "e2e/dev.env");
  const outside = await mkdtemp(path.join(os.tmpdir(), "rb-e2e-outside-"));
  const stolen = path.join(outside, "other.env");
  writeFileSync(stolen, "OTHER_ORG_KEY=not-yours\n");
  const admin = await asUser(browser, "admin@demo.test");
  const page = admin.page;
  try {
    await page.goto(`/o/${ORG}/drift`);
    const add = page.getByRole("form", { name: "Add a sync target" });
    await add.getByLabel("Environment").selectOption({ label: "development" });
    await add.getByLabel("Target name").fill("file-dev");
    await add.getByLabel("Kind").selectOption("dotenv_file");
    await add.getByLabel("Location").fill("..\u2215other\u2215dev.env"); // U+2215 DIVISION SLASH
    await add.getByRole("button", { name: "Add target" }).click();
    await expect(add).toContainText("look-alike characters are refused");
    await add.getByLabel("Location").fill("e2e/dev.env");
    await add.getByRole("button", { name: "Add target" }).click();
    const row = page
      .getByRole("table", { name: "Sync targets" })
      .getByRole("row")
      .filter({ hasText: "file-dev" });
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Push to file-dev" }).click();
    await expect(row.getByRole("status")).toContainText(/Pushed \d+ key\(s\)/);
    expect(existsSync(file)).toBe(true);

    // An operator (or anyone with a shell) swaps the file for a symlink to a file outside the folder.
    rmSync(file);
    symlinkSync(stolen, file);
    await row.getByRole("button", { name: "Test file-dev" }).click();
    await expect(row.getByRole("alert")).toContainText("outside your organization's target folder");
    await expect(row.getByRole("alert")).not.toContainText("Something went wrong");
    await row.getByRole("button", { name: "Push to file-dev" }).click();
    await expect(row.getByRole("alert")).toContainText("outside your organization's target folder");
    expect(readFileSync(stolen, "utf8")).toBe("OTHER_ORG_KEY=not-yours\n");
    await row.getByText("Settings", { exact: true }).click();
    await row.getByRole("button", { name: "Deactivate target" }).click();
    await expect(row).toContainText("inactive");
  } finally {
    await admin.context.close();
    rmSync(file, { force: true });
    await rm(outside, { recursive: true, force: true });
  }
});
