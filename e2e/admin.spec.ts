import { expect, test } from "@playwright/test";
import { navigate, ORG, openVariable, runSuffix, signIn, valueRow } from "./support";

test.describe("admin", () => {
  test(
    "creates a variable, sets, reveals, edits, deletes and restores its values",
    {
      tag: "@phone",
    },
    async ({ page }, testInfo) => {
      const name = `STRIPE_SECRET_KEY${runSuffix(testInfo)}`;
      await signIn(page, "admin@demo.test");
      await navigate(page, "Variables");
      await page.getByRole("link", { name: "New variable" }).click();

      // Bad input is refused next to the field and nothing is lost.
      await page.getByLabel("Name", { exact: true }).fill("stripe secret");
      await page.getByLabel("Description").fill("Payments for bookings");
      await page.getByRole("button", { name: "Create variable" }).click();
      await expect(page.getByText("Use UPPER_SNAKE_CASE")).toBeVisible();
      await expect(page.getByLabel("Description")).toHaveValue("Payments for bookings");

      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByLabel("Type").selectOption("api_key");
      // Confidential, not wedding-critical: deleting it is MEDIUM risk and needs no approval.
      await page.getByLabel("Classification").selectOption("confidential");
      await page.getByLabel("Tags").fill("payments, stripe");
      await page.getByRole("button", { name: "Create variable" }).click();
      await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

      for (const [env, value] of [
        ["development", "sk_test_dev_51HxYz"],
        ["staging", "sk_test_staging_51HxYz"],
      ]) {
        await valueRow(page, env)
          .getByRole("button", { name: `Set ${env} value` })
          .click();
        await page.getByLabel(`New ${env} value`).fill(value);
        await page.getByRole("button", { name: "Save value" }).click();
        await expect(valueRow(page, env).getByLabel("masked value")).toBeVisible();
      }
      // Masked: the secret is not on the page until revealed.
      await expect(page.getByText("sk_test_dev_51HxYz")).toHaveCount(0);
      await valueRow(page, "development").getByRole("button", { name: "Reveal development value" }).click();
      await expect(page.getByTestId("revealed-development")).toHaveText("sk_test_dev_51HxYz");

      await valueRow(page, "development").getByRole("button", { name: "Edit development value" }).click();
      await page.getByLabel("New development value").fill("sk_test_dev_rotated");
      await page.getByLabel("Change note").fill("rotated after leak drill");
      await page.getByRole("button", { name: "Save value" }).click();
      await expect(valueRow(page, "development")).toContainText("v2");
      await expect(page.getByRole("table", { name: "Value history" })).toContainText(
        "rotated after leak drill",
      );

      // The reveal is audited.
      await navigate(page, "Audit");
      const audit = page.getByRole("table", { name: "Audit trail" });
      await expect(
        audit.getByRole("row").filter({ hasText: name }).filter({ hasText: "reveal" }),
      ).toHaveCount(1);
      await page.getByRole("button", { name: "Verify integrity" }).click();
      await expect(page.getByText(/Chain intact: \d+ rows verified/)).toBeVisible();

      // Soft delete and restore.
      await openVariable(page, name);
      await page.getByRole("button", { name: "Delete variable" }).click();
      await page.getByRole("button", { name: "Confirm delete" }).click();
      await expect(page).toHaveURL(new RegExp(`/o/${ORG}/variables$`));
      await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
      await page.getByRole("button", { name: `Restore ${name}` }).click();
      await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
      // The list shows where it has values (development and staging), computed without decrypting.
      const listed = page.getByRole("row").filter({ hasText: name });
      await expect(listed.getByText("set", { exact: true })).toHaveCount(2);
      // Missing everywhere else (production, and qa when the desktop run has made it).
      const environments =
        (await page.getByRole("table", { name: "Variables" }).getByRole("columnheader").count()) - 4;
      await expect(listed.getByText("missing", { exact: true })).toHaveCount(environments - 2);
      await openVariable(page, name);
      await valueRow(page, "staging").getByRole("button", { name: "Reveal staging value" }).click();
      await expect(page.getByTestId("revealed-staging")).toHaveText("sk_test_staging_51HxYz");

      // A reference: kept as written, shown on reveal with what it resolves to.
      await valueRow(page, "staging").getByRole("button", { name: "Edit staging value" }).click();
      await page.getByLabel("New staging value").fill(`\${development.${name}}`);
      await page.getByRole("button", { name: "Save value" }).click();
      await expect(valueRow(page, "staging")).toContainText("v2");
      await valueRow(page, "staging").getByRole("button", { name: "Reveal staging value" }).click();
      await expect(page.getByTestId("revealed-staging")).toHaveText(`\${development.${name}}`);
      await expect(page.getByTestId("revealed-staging-resolved")).toHaveText("sk_test_dev_rotated");
    },
  );

  test("creates the qa environment, and refuses a duplicate", async ({ page }) => {
    await signIn(page, "admin@demo.test");
    await page.getByRole("link", { name: "Environments", exact: true }).click();
    const form = page.getByRole("form", { name: "New environment" });
    await form.getByLabel("Name", { exact: true }).fill("qa");
    await form.getByLabel("Display name").fill("QA");
    await form.getByLabel("Type").selectOption("testing");
    await form.getByRole("button", { name: "Create environment" }).click();
    await expect(
      page.getByRole("table", { name: "Environments" }).getByRole("row").filter({ hasText: "QA" }),
    ).toBeVisible();
    await form.getByLabel("Name", { exact: true }).fill("qa");
    await form.getByLabel("Display name").fill("QA again");
    await form.getByRole("button", { name: "Create environment" }).click();
    await expect(form.getByText("An environment named qa already exists")).toBeVisible();
  });

  test("a stale edit from a second browser is refused, not silently applied", async ({ browser }) => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    const [a, b] = [await first.newPage(), await second.newPage()];
    await signIn(a, "admin@demo.test");
    await signIn(b, "admin@demo.test");
    await openVariable(a, "HUBSPOT_PORTAL_ID");
    await openVariable(b, "HUBSPOT_PORTAL_ID");
    for (const p of [a, b])
      await valueRow(p, "development").getByRole("button", { name: "Edit development value" }).click();
    await a.getByLabel("New development value").fill("2000001");
    await a.getByRole("button", { name: "Save value" }).click();
    await expect(valueRow(a, "development")).toContainText("v2");
    await b.getByLabel("New development value").fill("3000001");
    await b.getByRole("button", { name: "Save value" }).click();
    await expect(b.getByRole("alert").filter({ hasText: /changed/i })).toBeVisible();
    await expect(b.getByText(/It is now at v2\./)).toBeVisible();
    await expect(b.getByLabel("New development value")).toHaveValue("3000001");
    await valueRow(a, "development").getByRole("button", { name: "Reveal development value" }).click();
    await expect(a.getByTestId("revealed-development")).toHaveText("2000001");
    await first.close();
    await second.close();
  });

  test("anonymous visitors are sent to sign in; a wrong password is refused", async ({ page }) => {
    await page.goto(`/o/${ORG}/variables`);
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel("Email").fill("admin@demo.test");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Email or password is not right" })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("admin@demo.test");
    await expect(page.getByLabel("Password")).toHaveValue("");
    const health = await page.request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
  });
});
