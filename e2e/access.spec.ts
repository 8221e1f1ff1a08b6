import { expect, test } from "@playwright/test";
import { asUser, localInput, ORG, openVariable, valueRow } from "./support";

test("an admin grants viewers read on production, a viewer uses it, and the admin revokes it", async ({
  browser,
}) => {
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.getByRole("link", { name: "Access", exact: true }).click();
  const form = admin.page.getByRole("form", { name: "Grant access" });
  await form.getByLabel("To").selectOption("role");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByLabel("Permission").selectOption("read");
  await form.getByLabel("Environments").fill("production, atlantis");
  await form.getByRole("button", { name: "Grant access" }).click();
  await expect(form.getByText("Unknown: atlantis")).toBeVisible();
  await form.getByLabel("Environments").fill("production");
  await form.getByRole("button", { name: "Grant access" }).click();
  const policies = admin.page.getByRole("table", { name: "Access policies" });
  await expect(policies.getByRole("row").filter({ hasText: "role viewer" })).toContainText("production");

  await admin.page.getByLabel("Member", { exact: true }).selectOption("viewer@demo.test");
  await admin.page.getByRole("button", { name: "Show" }).click();
  await expect(
    admin.page
      .getByRole("table", { name: "Effective access" })
      .getByRole("row")
      .filter({ hasText: "production" }),
  ).toContainText("policy for role viewer: read in production");

  const viewer = await asUser(browser, "viewer@demo.test");
  await openVariable(viewer.page, "FEATURE_NEW_BOOKING_FLOW");
  await valueRow(viewer.page, "production").getByRole("button", { name: "Reveal production value" }).click();
  await expect(viewer.page.getByTestId("revealed-production")).toHaveText("false");
  await expect(viewer.page.getByRole("link", { name: "Grant access" })).toHaveCount(0);

  await admin.page.goto(`/o/${ORG}/access`);
  await admin.page.getByRole("button", { name: "Revoke read for role viewer" }).click();
  await expect(admin.page.getByText("None: every member has their role's baseline.")).toBeVisible();
  await viewer.page.reload();
  await expect(valueRow(viewer.page, "production").getByRole("button", { name: /Reveal/ })).toHaveCount(0);
  await admin.context.close();
  await viewer.context.close();
});

test("an admin changes a member's role and signs a member out everywhere", async ({ browser }) => {
  const viewer = await asUser(browser, "viewer@demo.test");
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.goto(`/o/${ORG}/access`);
  const members = admin.page.getByRole("table", { name: "Members" });
  const dev = members.getByRole("row").filter({ hasText: "dev@demo.test" });
  await dev.getByLabel("New role for dev@demo.test").selectOption("lead");
  await dev.getByRole("button", { name: "Change role" }).click();
  await expect(dev.getByRole("cell").nth(1)).toHaveText("lead");
  await dev.getByLabel("New role for dev@demo.test").selectOption("developer");
  await dev.getByRole("button", { name: "Change role" }).click();
  await expect(dev.getByRole("cell").nth(1)).toHaveText("developer");

  await members.getByRole("button", { name: "Sign out everywhere (viewer@demo.test)" }).click();
  await expect(admin.page.getByText("Signed out everywhere.")).toBeVisible();
  await viewer.page.goto(`/o/${ORG}/variables`);
  await expect(viewer.page).toHaveURL(/\/login/);
  await admin.context.close();
  await viewer.context.close();
});

test("a time-restricted grant shows its window in the policies table", async ({ browser }) => {
  const admin = await asUser(browser, "admin@demo.test");
  await admin.page.goto(`/o/${ORG}/access`);
  const form = admin.page.getByRole("form", { name: "Grant access" });
  await form.getByLabel("To").selectOption("role");
  await form.getByLabel("Role").selectOption("developer");
  await form.getByLabel("Permission").selectOption("read");
  await form.getByLabel("Environments").fill("production");
  // An expiry date is the last day the grant applies, shown as that day (in the organization's zone).
  const expiry = localInput(new Date(Date.now() + 10 * 86_400_000), "Europe/London").slice(0, 10);
  await form.getByLabel("Expires").fill(expiry);
  await form.getByLabel("Start time").fill("09:00");
  await form.getByLabel("End time").fill("18:00");
  await form.getByRole("button", { name: "Grant access" }).click();
  await expect(form.getByText("Choose at least one day")).toBeVisible();
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    await form.getByRole("checkbox", { name: day }).check();
  await form.getByRole("button", { name: "Grant access" }).click();
  const row = admin.page
    .getByRole("table", { name: "Access policies" })
    .getByRole("row")
    .filter({ hasText: "role developer" });
  await expect(row).toContainText("Mon–Fri 09:00–18:00 Europe/London");
  const [y, m, d] = expiry.split("-").map(Number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  await expect(row.getByRole("cell").nth(5)).toHaveText(`${d} ${months[m - 1]} ${y}`);

  await admin.page.getByLabel("Member", { exact: true }).selectOption("dev@demo.test");
  await admin.page.getByRole("button", { name: "Show" }).click();
  await expect(
    admin.page
      .getByRole("table", { name: "Effective access" })
      .getByRole("row")
      .filter({ hasText: "production" }),
  ).toContainText(/policy for role developer: read in production, Mon–Fri 09:00–18:00/);

  await admin.page.getByRole("button", { name: "Revoke read for role developer" }).click();
  await expect(admin.page.getByText("None: every member has their role's baseline.")).toBeVisible();
  await admin.context.close();
});
