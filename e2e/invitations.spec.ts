import { type Browser, expect, type Page, test } from "@playwright/test";
import { asUser, ORG } from "./support";

const ORG_NAME = "Demo Weddings Ltd";

/** As an admin on the Access page: invite someone and read the link shown once. */
async function invite(browser: Browser, email: string, role: string) {
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.goto(`/o/${ORG}/access`);
  const form = admin.page.getByRole("form", { name: "Invite" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Create invite link" }).click();
  const shown = admin.page.getByRole("region", { name: "Invite link" });
  await expect(shown).toContainText(email);
  await shown.getByRole("button", { name: "Copy link" }).click();
  await expect(shown.getByText(/Copied\.|The link is selected/)).toBeVisible();
  const link = await shown.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  return { ...admin, link: new URL(link).pathname };
}

test.describe.configure({ mode: "serial" });

const pendingRow = (admin: { page: Page }, email: string) =>
  admin.page.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: email });

test("an admin invites a newcomer, who creates an account and lands in the organization as a developer", async ({
  browser,
}) => {
  const admin = await invite(browser, "newcomer@demo.test", "developer");
  await expect(pendingRow(admin, "newcomer@demo.test")).toContainText("developer");

  const guest = await browser.newContext();
  const page = await guest.newPage();
  await page.goto(admin.link);
  await expect(page.getByRole("heading", { name: `Join ${ORG_NAME}` })).toBeVisible();
  await expect(page.getByText(/invited to join Demo Weddings Ltd as developer/)).toBeVisible();
  const account = page.getByRole("form", { name: "Accept the invitation" });
  await expect(account.getByLabel("Email")).toHaveValue("newcomer@demo.test");
  await account.getByLabel("Your name").fill("Nia Newcomer");
  await account.getByLabel("Password", { exact: true }).fill("too short");
  await account.getByLabel("Confirm password").fill("too short");
  await account.getByRole("button", { name: "Accept invitation" }).click();
  await expect(account.getByRole("alert").filter({ hasText: "At least 12 characters" })).toBeVisible();
  await account.getByLabel("Password", { exact: true }).fill("a long enough password");
  await account.getByLabel("Confirm password").fill("a long enough passwort");
  await account.getByRole("button", { name: "Accept invitation" }).click();
  await expect(account.getByRole("alert").filter({ hasText: "The passwords do not match" })).toBeVisible();
  await account.getByLabel("Confirm password").fill("a long enough password");
  await account.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}$`));
  await expect(page.getByText("newcomer@demo.test · developer")).toBeVisible();

  await admin.page.reload();
  await expect(pendingRow(admin, "newcomer@demo.test")).toHaveCount(0);
  await expect(
    admin.page
      .getByRole("table", { name: "Members" })
      .getByRole("row")
      .filter({ hasText: "newcomer@demo.test" }),
  ).toContainText("developer");

  // The link works once: a second visit, signed out, says it was used; the newcomer is told they joined.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(admin.link);
  await expect(second.getByRole("heading", { name: "Invitation already used" })).toBeVisible();
  await page.goto(admin.link);
  await expect(page.getByRole("heading", { name: `You are a member of ${ORG_NAME}` })).toBeVisible();
  await Promise.all([admin.context.close(), guest.close(), other.close()]);
});

test("an invitation refuses another signed-in account, stops working when revoked, and a bad link says so", async ({
  browser,
}) => {
  const admin = await invite(browser, "someone@demo.test", "viewer");
  const dev = await asUser(browser, "dev@demo.test");
  await dev.page.goto(admin.link);
  await expect(
    dev.page.getByText("This invitation is for someone@demo.test; you are signed in as dev@demo.test."),
  ).toBeVisible();
  await expect(dev.page.getByRole("button", { name: /Join/ })).toHaveCount(0);

  await pendingRow(admin, "someone@demo.test")
    .getByRole("button", { name: "Revoke the invitation for someone@demo.test" })
    .click();
  await expect(pendingRow(admin, "someone@demo.test")).toHaveCount(0);
  const guest = await browser.newContext();
  const page = await guest.newPage();
  await page.goto(admin.link);
  await expect(page.getByRole("heading", { name: "Invitation withdrawn" })).toBeVisible();

  const response = await page.goto("/invite/not-a-real-token");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Invitation not found" })).toBeVisible();
  await Promise.all([admin.context.close(), dev.context.close(), guest.close()]);
});

test("an existing account accepts with its password through the same form; inviting a member is refused", async ({
  browser,
}) => {
  // newcomer@demo.test has an account (the first test); take them out of the organization, then re-invite.
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.goto(`/o/${ORG}/access`);
  const form = admin.page.getByRole("form", { name: "Invite" });
  await form.getByLabel("Email").fill("viewer@demo.test");
  await form.getByRole("button", { name: "Create invite link" }).click();
  await expect(form.getByText("Already a member of this organization")).toBeVisible();
  await admin.page
    .getByRole("table", { name: "Members" })
    .getByRole("button", { name: "Remove newcomer@demo.test" })
    .click();
  await expect(
    admin.page
      .getByRole("table", { name: "Members" })
      .getByRole("row")
      .filter({ hasText: "newcomer@demo.test" }),
  ).toHaveCount(0);
  await admin.context.close();

  const again = await invite(browser, "newcomer@demo.test", "viewer");
  const guest = await browser.newContext();
  const page = await guest.newPage();
  await page.goto(again.link);
  // The same form as for a newcomer: a wrong password is refused like a sign-in, the right one joins.
  const accept = page.getByRole("form", { name: "Accept the invitation" });
  await accept.getByLabel("Your name").fill("Nia again");
  await accept.getByLabel("Password", { exact: true }).fill("not the right password");
  await accept.getByLabel("Confirm password").fill("not the right password");
  await accept.getByRole("button", { name: "Accept invitation" }).click();
  await expect(accept.getByText(/could not be used to accept/)).toBeVisible();
  await accept.getByLabel("Password", { exact: true }).fill("a long enough password");
  await accept.getByLabel("Confirm password").fill("a long enough password");
  await accept.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}$`));
  await expect(page.getByText("newcomer@demo.test · viewer")).toBeVisible();
  await Promise.all([again.context.close(), guest.close()]);
});

test("signed out, the invitation page is the same whether or not the email already has an account", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const existing = await invite(browser, "existing-elsewhere@demo.test", "viewer");
  const fresh = await invite(browser, "nobody-yet@demo.test", "viewer");
  // Give the first email an account, as if it belonged to someone in another organization.
  const guest = await browser.newContext();
  const setup = await guest.newPage();
  await setup.goto(existing.link);
  const form = setup.getByRole("form", { name: "Accept the invitation" });
  await form.getByLabel("Your name").fill("Elsewhere");
  await form.getByLabel("Password", { exact: true }).fill("a long enough password");
  await form.getByLabel("Confirm password").fill("a long enough password");
  await form.getByRole("button", { name: "Accept invitation" }).click();
  await expect(setup).toHaveURL(new RegExp(`/o/${ORG}$`));
  await guest.close();
  // Remove them again and re-invite: their account now exists, outside the organization.
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.goto(`/o/${ORG}/access`);
  await admin.page
    .getByRole("table", { name: "Members" })
    .getByRole("button", { name: "Remove existing-elsewhere@demo.test" })
    .click();
  await expect(
    admin.page
      .getByRole("table", { name: "Members" })
      .getByRole("row")
      .filter({ hasText: "existing-elsewhere" }),
  ).toHaveCount(0);
  await admin.context.close();
  const reinvited = await invite(browser, "existing-elsewhere@demo.test", "viewer");

  const visitor = await browser.newContext();
  const text = async (link: string, email: string, token: string) => {
    const page = await visitor.newPage();
    await page.goto(link);
    const body = ((await page.locator("main").textContent()) ?? "")
      .replaceAll(email, "EMAIL")
      .replace(/valid until .*? \(UTC\)/, "valid until …");
    const html = (await page.locator("main").innerHTML())
      .replaceAll(email, "EMAIL")
      .replaceAll(token, "TOKEN");
    await page.close();
    // The expiry is a minute apart when the two invitations straddle one: up to the end of its sentence,
    // React's text separators (<!-- -->) included.
    return { body, html: html.replace(/valid until (?:[^<]|<!-- -->)*/g, "valid until …") };
  };
  const tokenOf = (link: string) => link.split("/").pop() ?? "";
  const a = await text(reinvited.link, "existing-elsewhere@demo.test", tokenOf(reinvited.link));
  const b = await text(fresh.link, "nobody-yet@demo.test", tokenOf(fresh.link));
  expect(a.body).toBe(b.body);
  expect(a.html).toBe(b.html);
  await Promise.all([
    existing.context.close(),
    fresh.context.close(),
    reinvited.context.close(),
    visitor.close(),
  ]);
});
