import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
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
    await expect(page.getByRole("table", { name: "Recent syncs" })).toContainText("completed");

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
  } finally {
    await admin.context.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});
