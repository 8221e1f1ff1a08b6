import { expect, type Page, test } from "@playwright/test";
import { generate } from "otplib";
import { asSuperuser } from "./db";
import { asUser, DEMO_PASSWORD, ORG, openVariable, signIn, valueRow } from "./support";

const USER = "viewer@demo.test";

/** The code an authenticator app shows `steps` steps from now (one step ahead is within the drift allowed). */
const codeFor = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function passwordStep(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USER);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
}

// Other specs sign this user in with a password only: whatever happens here, leave two-factor off.
test.afterAll(async () => {
  await asSuperuser(
    (sql) =>
      sql`update users set totp_secret = null, totp_enabled_at = null, totp_last_step = null where email = ${USER}`,
  );
});

test("a user turns on two-factor authentication, signs in with a code that works once, and turns it off", async ({
  browser,
}) => {
  test.setTimeout(120_000); // four sign-ins in three browsers
  const home = await asUser(browser, USER);
  await home.page.getByRole("link", { name: "Account & sessions" }).click();
  const section = home.page.getByRole("region", { name: "Two-factor authentication" });
  await expect(section.getByText("Off", { exact: true })).toBeVisible();
  await section.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(section.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await section.getByLabel("Authentication code").fill("000000");
  await section.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(section.getByText("That code is not right")).toBeVisible();
  await section.getByLabel("Authentication code").fill(await codeFor(secret));
  await section.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(section.getByText("On", { exact: true })).toBeVisible();
  await expect(section.getByText(/On since/)).toBeVisible();

  // A new sign-in: the password alone is not enough; a wrong code is refused; the right one lets you in.
  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  await passwordStep(page);
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  const code = await codeFor(secret, 1);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}`));
  await page.goto(`/o/${ORG}/account`);
  await expect(
    page.getByRole("table", { name: "Your sessions" }).getByRole("row").filter({ hasText: "this session" }),
  ).toContainText("code verified");

  // The same code again, from another browser: refused (single-use).
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await passwordStep(other);
  await other.getByLabel("Authentication code").fill(code);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByText(/already used/)).toBeVisible();
  await expect(other).toHaveURL(/\/login/);

  // Turn it off (with the password), and the password alone signs in again.
  await home.page.reload();
  await section.getByLabel("Or your password").fill(DEMO_PASSWORD);
  await section.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(section.getByText("Off", { exact: true })).toBeVisible();
  await signIn(other, USER);
  for (const c of [home.context, laptop, phone]) await c.close();
});

test("a session that has not confirmed it is you lately must do so before revealing a production secret", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await openVariable(page, "DATABASE_URL");
  // Signed in more than five minutes ago (made so in the database: the test cannot wait).
  await asSuperuser(
    (sql) =>
      sql`update sessions set verified_at = now() - interval '10 minutes'
           where user_id = (select id from users where email = 'admin@demo.test')`,
  );
  await valueRow(page, "production").getByRole("button", { name: "Reveal production value" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password").fill("not the password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByText("That password is not right.")).toBeVisible();
  await dialog.getByLabel("Password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("revealed-production")).toContainText("postgres://");
  // Staging never asks.
  await valueRow(page, "staging").getByRole("button", { name: "Reveal staging value" }).click();
  await expect(page.getByTestId("revealed-staging")).toContainText("postgres://");
  await context.close();
});
