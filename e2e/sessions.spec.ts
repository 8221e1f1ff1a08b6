import { expect, test } from "@playwright/test";
import { asUser, ORG } from "./support";

test("a user sees where they are signed in and signs out the other sessions", { tag: "@phone" }, async ({
  browser,
}) => {
  const laptop = await asUser(browser, "dev@demo.test");
  const phone = await asUser(browser, "dev@demo.test");
  await laptop.page.getByRole("link", { name: "Sessions" }).click();
  const table = laptop.page.getByRole("table", { name: "Your sessions" });
  await expect(table.getByText("this session")).toBeVisible();
  expect(await table.getByRole("row").count()).toBeGreaterThanOrEqual(3); // header + this + the phone
  await laptop.page.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  await phone.page.goto(`/o/${ORG}/variables`);
  await expect(phone.page).toHaveURL(/\/login/);
  await laptop.page.goto(`/o/${ORG}/variables`);
  await expect(laptop.page).toHaveURL(new RegExp(`/o/${ORG}/variables`));
  await laptop.context.close();
  await phone.context.close();
});
