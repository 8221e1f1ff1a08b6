import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { ORG, openVariable, signIn, valueRow } from "./support";

const matrix = (page: Page) => page.getByRole("grid", { name: "Environment matrix" });
const cell = (page: Page, variable: string, env: string) =>
  matrix(page).getByRole("gridcell", { name: new RegExp(`^${variable} in ${env}:`) });

/** A modal dialog sits in the middle of the viewport and inside it. */
async function expectCentred(page: Page, dialog: Locator) {
  const box = await dialog.boundingBox();
  const view = page.viewportSize();
  if (!box || !view) throw new Error("the dialog is not laid out");
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(view.width);
  expect(Math.abs(box.x - (view.width - box.x - box.width))).toBeLessThanOrEqual(2);
  expect(box.y).toBeGreaterThan(0);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height);
}

test("an admin finds what production lacks, promotes it from staging, and the cells turn green", async ({
  page,
}) => {
  await signIn(page, "admin@demo.test");
  await page.getByRole("link", { name: "Matrix", exact: true }).click();
  await expect(cell(page, "HUBSPOT_PORTAL_ID", "production")).toHaveAttribute("data-state", "missing");

  await page.getByLabel("Status").selectOption("missing:production");
  await page.getByRole("button", { name: "Apply" }).click();
  const headers = matrix(page).getByRole("rowheader");
  await expect(headers.first()).toContainText("HUBSPOT_PORTAL_ID");
  const missing = (await headers.allInnerTexts()).map((t) => t.split(/\s/)[0]);
  expect(missing).toEqual(expect.arrayContaining(["HUBSPOT_PORTAL_ID", "TWILIO_ACCOUNT_SID"]));
  await expect(page.getByText(`${missing.length} variables`, { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Compare and promote" }).click();
  const parity = page.getByRole("list", { name: "Parity" });
  await expect(parity).toContainText(`production lacks ${missing.length} keys that staging has`);
  await expect(page.getByRole("heading", { name: /staging → production/ })).toBeVisible();
  // The two internal keys: MEDIUM risk in production, so they apply at once. (Other specs may leave a
  // confidential key missing too; promoting that would wait for a reviewer.)
  const promoted = ["HUBSPOT_PORTAL_ID", "TWILIO_ACCOUNT_SID"];
  for (const name of promoted) await page.getByRole("checkbox", { name: `Promote ${name}` }).check();
  await page.getByRole("button", { name: "Promote 2 to production" }).click();
  await expect(page.getByRole("status")).toHaveText("Promoted 2 key(s) from staging to production.");
  const left = missing.length - promoted.length;
  await expect(parity).toContainText(
    left === 0
      ? "production has every key that staging has"
      : `production lacks ${left} key${left === 1 ? "" : "s"} that staging has`,
  );

  await page.goto(`/o/${ORG}/matrix?status=missing:production`);
  await expect(page.getByText(`${left} variable${left === 1 ? "" : "s"}`, { exact: true })).toBeVisible();
  await page.goto(`/o/${ORG}/matrix`);
  await expect(cell(page, "HUBSPOT_PORTAL_ID", "production")).toHaveAttribute("data-state", "same");
  await expect(cell(page, "TWILIO_ACCOUNT_SID", "production")).toHaveAttribute("data-state", "same");

  // Keyboard: into the grid, End (production), one left (staging), Enter opens the editor; reveal is audited.
  await matrix(page).getByRole("rowheader").first().focus();
  await page.keyboard.press("ArrowRight");
  await expect(cell(page, "DATABASE_URL", "development")).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await expect(cell(page, "DATABASE_URL", "staging")).toBeFocused();
  await page.keyboard.press("Enter");
  const editor = page.getByRole("dialog", { name: "DATABASE_URL in staging" });
  await expect(editor.getByRole("img", { name: "masked value" })).toBeVisible();
  await expectCentred(page, editor);
  await editor.getByRole("button", { name: "Reveal" }).click();
  await expect(editor.getByTestId("matrix-revealed")).toContainText("postgres://");
  await page.keyboard.press("Escape");
  await expect(editor).toHaveCount(0);
  // On a phone the dialog fits the screen, centred, not pinned to the top-left corner.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(cell(page, "DATABASE_URL", "staging")).toBeFocused();
  await page.keyboard.press("Enter");
  await expectCentred(page, editor);
  await page.keyboard.press("Escape");
});

test("a .env with a multiline value imports, exports and re-imports unchanged", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.getByRole("link", { name: "Environments", exact: true }).click();
  await page.getByRole("link", { name: "Import or export development" }).click();

  const text = [
    "# from the old host",
    "export E2E_GREETING='héllo = world # not a comment'",
    'E2E_CERT="-----BEGIN CERTIFICATE-----',
    "MIIBszCCAVmgAwIBAgIU",
    '-----END CERTIFICATE-----"',
    "RESEND_API_KEY=re_dev_imported",
    "lowercase_key=1",
  ].join("\n");
  const input = page.getByLabel(".env contents");
  await input.fill(text);
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByText("2 new, 1 changed, 0 unchanged, 1 invalid")).toBeVisible();
  await expect(page.getByRole("button", { name: "Apply import" })).toBeDisabled();

  // Fix the bad line; the text is still there, nothing was lost.
  await input.fill(text.replace("lowercase_key=1", "E2E_LOWER_FIXED=1"));
  await expect(page.getByText("The text changed: preview again.")).toBeVisible();
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByText("3 new, 1 changed, 0 unchanged, 0 invalid")).toBeVisible();
  await page.getByRole("button", { name: "Apply import" }).click();
  await expect(page.getByRole("status")).toContainText("4 value(s) written (3 new variable(s))");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download development.env" }).click();
  const exported = await readFile(await (await download).path(), "utf8");
  expect(exported).toContain("E2E_CERT=");
  expect(exported).toContain("-----BEGIN CERTIFICATE-----");

  // The round trip: importing the export back changes nothing (every hash matches).
  await input.fill(exported);
  await page.getByRole("button", { name: "Preview import" }).click();
  const lines = exported.trim().split("\n").length;
  await expect(page.getByText(/0 new, 0 changed, \d+ unchanged, 0 invalid/)).toBeVisible();
  expect(lines).toBeGreaterThanOrEqual(7);

  await openVariable(page, "E2E_CERT");
  await valueRow(page, "development").getByRole("button", { name: "Reveal development value" }).click();
  await expect(page.getByTestId("revealed-development")).toHaveText(
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
  );
});

test("an earlier version is restored as a new version", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await openVariable(page, "NEXT_PUBLIC_POSTHOG_KEY");
  await valueRow(page, "development").getByRole("button", { name: "Edit development value" }).click();
  await page.getByLabel("New development value").fill("phc_dev_broken");
  await page.getByRole("button", { name: "Save value" }).click();
  await expect(valueRow(page, "development")).toContainText("v2");

  await page.getByRole("button", { name: "Restore development v1" }).click();
  await expect(valueRow(page, "development")).toContainText("v3");
  await expect(page.getByRole("table", { name: "Value history" })).toContainText("Restored v1");
  await valueRow(page, "development").getByRole("button", { name: "Reveal development value" }).click();
  await expect(page.getByTestId("revealed-development")).toHaveText("phc_dev_demo");
});

test("the matrix and export endpoints refuse the wrong caller and malformed input with a code", async ({
  browser,
  request,
}) => {
  const anonymous = await request.get(`/api/o/${ORG}/matrix`);
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized" } });

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "viewer@demo.test");
  const bad = await page.request.get(`/api/o/${ORG}/matrix?limit=abc`);
  expect(bad.status()).toBe(422);
  expect(await bad.json()).toMatchObject({
    error: { code: "validation" },
    fieldErrors: { limit: [expect.any(String)] },
  });
  const other = await page.request.get("/api/o/not-my-org/matrix");
  expect(other.status()).toBe(403);
  const { environments } = await (await page.request.get(`/api/o/${ORG}/matrix?limit=1`)).json();
  const production = environments.find((e: { name: string }) => e.name === "production");
  expect(production.readable).toBe(false);
  const exported = await page.request.get(`/api/o/${ORG}/environments/${production.id}/export?format=env`);
  expect(exported.status()).toBe(403);
  expect(await exported.text()).not.toContain("phc_");
  await context.close();
});
