import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { asUser, openVariable, signIn, valueRow } from "./support";

test("a security reviewer filters the audit trail, exports it and verifies the chain", async ({
  browser,
  page,
}) => {
  // Something to find: an admin's reveal.
  const admin = await asUser(browser, "admin@demo.test");
  await openVariable(admin.page, "DATABASE_URL");
  await valueRow(admin.page, "development").getByRole("button", { name: "Reveal development value" }).click();
  await expect(admin.page.getByTestId("revealed-development")).toContainText("postgres://");
  await admin.context.close();

  await signIn(page, "reviewer@demo.test");
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("figure", { name: "Activity over time by action" })).toBeVisible();

  const filters = page.getByRole("form", { name: "Audit filters" });
  await filters.getByLabel("Action").selectOption("decrypt");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=decrypt/);
  const rows = page.getByRole("table", { name: "Audit trail" }).getByRole("row");
  await expect(rows.nth(1)).toContainText("reveal");
  const actions = await rows.locator("td:nth-child(4)").allInnerTexts();
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.every((a) => a.includes("reveal"))).toBe(true);

  // A row's details: hashes and context, never a value.
  await rows.nth(1).getByText("details").click();
  await expect(rows.nth(1)).toContainText("hash before → after");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await readFile(await (await download).path(), "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^seq,created_at,user,action/);
  expect(lines.length - 1).toBe(actions.length);
  expect(lines.slice(1).every((l) => l.includes(",decrypt,"))).toBe(true);

  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByText(/Chain intact: \d+ rows verified/)).toBeVisible();
});

test("a viewer cannot read or export the audit trail", async ({ page }) => {
  await signIn(page, "viewer@demo.test");
  await page.goto("/o/demo/audit");
  await expect(page.getByText("Your role cannot read the audit trail.")).toBeVisible();
  const exported = await page.request.get("/api/o/demo/audit/export?format=csv");
  expect(exported.status()).toBe(403);
});
