import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asSuperuser } from "./db";
import { asUser } from "./support";

/**
 * A new supplier signs up (the e2e server has open sign-up): an account and their own organization, signed in
 * and on its dashboard; they add a second organization from the header's menu, switch between the two, and
 * rename one from Settings. Unique names per run (the test runs at desktop and phone size).
 */
test("a new supplier signs up, adds a second organization, switches, renames one, deletes and restores the other @phone", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const email = `founder-${run}@test.example`;
  try {
    await page.goto("/login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
    await expectAccessible(page, "/signup");
    const form = page.getByRole("form", { name: "Create an account" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Your name").fill("Fern Founder");
    // Refused field by field, and nothing typed is lost.
    await form.getByLabel("Password", { exact: true }).fill("short");
    await form.getByLabel("Confirm password").fill("short");
    await form.getByLabel("Organization").fill(`Fern Floristry ${run}`);
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "At least 12 characters" })).toBeVisible();
    await expect(form.getByRole("alert").filter({ hasText: "The passwords do not match" })).toHaveCount(0);
    await expect(form.getByLabel("Organization")).toHaveValue(`Fern Floristry ${run}`);
    await form.getByLabel("Password", { exact: true }).fill("a long password 1");
    await form.getByLabel("Confirm password").fill("a long password 1");
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/fern-floristry-${run}`));
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    await expect(page.getByText(`Fern Floristry ${run}: health of each environment.`)).toBeVisible();

    // A second organization from the header's menu; the new one is current.
    await page.locator("summary", { hasText: "Organizations" }).click();
    await page
      .getByRole("navigation", { name: "Organizations" })
      .getByRole("link", { name: "New organization" })
      .click();
    await page
      .getByRole("form", { name: "New organization" })
      .getByLabel("Organization")
      .fill(`Fern Events ${run}`);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/fern-events-${run}`));
    await expect(page.getByText(`Fern Events ${run}: health of each environment.`)).toBeVisible();

    // Back to the first from the menu.
    await page.locator("summary", { hasText: "Organizations" }).click();
    const menu = page.getByRole("navigation", { name: "Organizations" });
    await expect(menu.getByRole("link", { name: `Fern Events ${run}` })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await menu.getByRole("link", { name: `Fern Floristry ${run}` }).click();
    await expect(page).toHaveURL(new RegExp(`/o/fern-floristry-${run}$`));

    // The owner renames it; the URL stays.
    await page.goto(`/o/fern-floristry-${run}/settings`);
    const rename = page.getByRole("form", { name: "Rename the organization" });
    await rename.getByLabel("Name").fill(`Fern & Moss ${run}`);
    await rename.getByRole("button", { name: "Rename" }).click();
    await expect(rename.getByText("Renamed.")).toBeVisible();
    await page.goto(`/o/fern-floristry-${run}`);
    await expect(page.getByText(`Fern & Moss ${run}: health of each environment.`)).toBeVisible();
    await expectAccessible(page, "/o/[org]/settings");

    // The owner deletes the second organization: gone from the menu at once, restored from Deleted organizations.
    await page.goto(`/o/fern-events-${run}/settings`);
    const remove = page.getByRole("form", { name: "Delete the organization" });
    await remove.getByLabel(`Type fern-events-${run} to confirm`).fill(`fern-events-${run}`);
    await remove.getByRole("button", { name: "Delete organization" }).click();
    await expect(page).toHaveURL(/\/organizations\/deleted$/);
    const deleted = page.getByRole("list", { name: "Deleted organizations" });
    await expect(deleted).toContainText(`Fern Events ${run}`);
    await expectAccessible(page, "/organizations/deleted");
    const gone = await page.request.get(`/o/fern-events-${run}`, { maxRedirects: 0 });
    expect(gone.status()).not.toBe(200);
    await deleted.getByRole("button", { name: "Restore" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/fern-events-${run}$`));
    await expect(page.getByText(`Fern Events ${run}: health of each environment.`)).toBeVisible();
  } finally {
    await context.close();
  }
});

test("sign-up refuses an email that has an account and says to sign in", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto("/signup");
    const form = page.getByRole("form", { name: "Create an account" });
    await form.getByLabel("Email").fill("admin@demo.test");
    await form.getByLabel("Your name").fill("Someone");
    await form.getByLabel("Password", { exact: true }).fill("a long password 1");
    await form.getByLabel("Confirm password").fill("a long password 1");
    await form.getByLabel("Organization").fill("Squatter Ltd");
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(form.getByText(/An account with this email exists: sign in/)).toBeVisible();
  } finally {
    await context.close();
  }
});

test("a member of the demo organization sees the organization menu with a way to add one", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "viewer@demo.test");
  await page.locator("summary", { hasText: "Organizations" }).click();
  await expect(
    page.getByRole("navigation", { name: "Organizations" }).getByRole("link", { name: "New organization" }),
  ).toBeVisible();
  await context.close();
});

/**
 * A person erases their own account (GDPR): refused while they own their organization alone, naming it; once it
 * has another owner, erased — signed out, told so on the sign-in page, and their password opens nothing.
 */
test("a supplier erases their account: refused as the only owner, then erased and signed out", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const email = `leaver-${run}@test.example`;
  const password = "a long password 2";
  try {
    await page.goto("/signup");
    const form = page.getByRole("form", { name: "Create an account" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Your name").fill("Lee Leaver");
    await form.getByLabel("Password", { exact: true }).fill(password);
    await form.getByLabel("Confirm password").fill(password);
    await form.getByLabel("Organization").fill(`Leaver Cakes ${run}`);
    await form.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/leaver-cakes-${run}`));

    await page.goto(`/o/leaver-cakes-${run}/account`);
    const erase = page.getByRole("form", { name: "Erase my account" });
    await erase.getByLabel("Type your e-mail address to confirm").fill(email);
    await erase.getByRole("button", { name: "Erase my account" }).click();
    await expect(erase.getByText(`You are the only owner of Leaver Cakes ${run}.`)).toBeVisible();

    // A second owner (an account made directly in the database) takes over and the leaver's membership ends:
    // belonging to no organization, they still reach their data and its erasure from the home page.
    await asSuperuser(async (sql) => {
      const [org] = await sql`select id from organizations where slug = ${`leaver-cakes-${run}`}`;
      const [user] = await sql`insert into users (email, name, password_hash)
                               values (${`partner-${run}@test.example`}, 'Partner', 'x') returning id`;
      await sql`insert into memberships (organization_id, user_id, role) values (${org.id}, ${user.id}, 'owner')`;
      await sql`delete from memberships where organization_id = ${org.id}
                  and user_id = (select id from users where email = ${email})`;
    });
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "No organization yet" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Download my data" })).toBeVisible();
    const mine = await page.request.get("/api/account/export");
    expect(mine.status()).toBe(200);
    expect((await mine.json()).profile).toMatchObject({ email });
    const home = page.getByRole("form", { name: "Erase my account" });
    await home.getByLabel("Type your e-mail address to confirm").fill(email);
    await home.getByRole("button", { name: "Erase my account" }).click();
    await expect(page).toHaveURL(/\/login\?erased=1/);
    await expect(page.getByText("Your account was erased.")).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Email or password is not right.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await context.close();
  }
});
