import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asUser, ORG, signIn } from "./support";

const PHONE = { width: 390, height: 844 };
const versions = (page: Page) => page.getByRole("table", { name: "Key versions" });
const dataKey = (page: Page, version: number) =>
  versions(page)
    .getByRole("row")
    .filter({ hasText: "Data key" })
    .filter({ has: page.getByRole("cell", { name: String(version), exact: true }) });

test.describe.configure({ mode: "serial" });

test("an admin rotates the data key and watches the progress bar reach 100 %, then revokes the old version", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}/settings`);
  await page.getByRole("link", { name: "Encryption keys" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Encryption keys" })).toBeVisible();
  await expect(dataKey(page, 1)).toContainText("active");
  await expect(page.getByText("The data key has never been rotated.")).toBeVisible();
  await expectAccessible(page, "/settings/keys");

  await page.getByRole("button", { name: "Rotate data key" }).click();
  await expect(page.getByText("Rotation started.")).toBeVisible();
  // Version 2 takes new writes at once; version 1 is being rotated away from.
  await expect(dataKey(page, 2)).toContainText("active");
  // The background job re-encrypts; the page follows it live, without a reload.
  const bar = page.getByRole("progressbar", { name: "Re-encryption progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  const latest = page.getByRole("region", { name: "Latest rotation" });
  await expect(latest).toContainText("completed");
  await expect(latest).toContainText("Rotation to version 2");
  await expect(latest.getByText("Failed").locator("..")).toContainText("0");
  await expect(dataKey(page, 1)).toContainText("deprecated");
  await expect(page.getByRole("button", { name: "Rotate data key" })).toBeEnabled();

  await dataKey(page, 1).getByRole("button", { name: "Revoke version 1" }).click();
  await expect(dataKey(page, 1)).toContainText("revoked");

  // The minimum decryption version: a clear field error for nonsense, then version 2.
  const settings = page.getByRole("form", { name: "Key settings" });
  await settings.getByLabel("Minimum decryption version").fill("abc");
  await settings.getByRole("button", { name: "Save key settings" }).click();
  await expect(settings.getByText("Enter a version number")).toBeVisible();
  await settings.getByLabel("Minimum decryption version").fill("2");
  await settings.getByLabel("Rotate every (days)").fill("90");
  await settings.getByRole("button", { name: "Save key settings" }).click();
  await expect(settings.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(dataKey(page, 1)).toContainText("revoked");
  await expect(page.getByLabel("Minimum decryption version")).toHaveValue("2");
  await expect(page.getByLabel("Rotate every (days)")).toHaveValue("90");
  await context.close();
});

test("a second rotation lists the first among the earlier ones", async ({ browser }) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}/settings/keys`);
  await page.getByRole("button", { name: "Rotate data key" }).click();
  await expect(dataKey(page, 3)).toContainText("active");
  const bar = page.getByRole("progressbar", { name: "Re-encryption progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  const earlier = page.getByRole("table", { name: "Earlier rotations" });
  const first = earlier.getByRole("row").filter({ hasText: "completed" });
  await expect(first).toHaveCount(1);
  await expect(first.getByRole("cell").first()).toHaveText("2");
  await context.close();
});

test("a security reviewer reads the keys; a developer is told who can", async ({ browser }) => {
  const reviewer = await asUser(browser, "reviewer@demo.test");
  await reviewer.page.goto(`/o/${ORG}/settings/keys`);
  await expect(reviewer.page.getByRole("region", { name: "Latest rotation" })).toContainText("completed");
  await expect(reviewer.page.getByRole("button", { name: "Rotate data key" })).toHaveCount(0);
  await expect(reviewer.page.getByRole("form", { name: "Key settings" })).toHaveCount(0);
  await reviewer.context.close();

  const developer = await asUser(browser, "dev@demo.test");
  await developer.page.goto(`/o/${ORG}/settings/keys`);
  await expect(
    developer.page.getByText("Only owners, admins and security reviewers can see the encryption keys."),
  ).toBeVisible();
  await expect(developer.page.getByRole("table", { name: "Key versions" })).toHaveCount(0);
  await developer.context.close();
});

test("on a phone the keys page fits the screen", async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "admin@demo.test");
  await page.goto(`/o/${ORG}/settings/keys`);
  await expect(page.getByRole("progressbar", { name: "Re-encryption progress" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page, "/settings/keys at 390px");
  await context.close();
});
