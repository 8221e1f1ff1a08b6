import { expect, test } from "@playwright/test";
import { asUser, openVariable, valueRow } from "./support";

test("a change in one browser shows in another within two seconds, without a reload", async ({ browser }) => {
  const a = await asUser(browser, "admin@demo.test");
  const b = await asUser(browser, "admin@demo.test");
  await openVariable(a.page, "RESEND_API_KEY");
  await openVariable(b.page, "RESEND_API_KEY");
  const before = ((await valueRow(b.page, "development").textContent()) ?? "").match(/v(\d+)/)?.[1];
  const next = `v${Number(before) + 1}`;
  // B's event stream is open (and subscribed) before the change.
  await expect(b.page.locator("html")).toHaveAttribute("data-live", "connected");

  await valueRow(a.page, "development").getByRole("button", { name: "Edit development value" }).click();
  await a.page.getByLabel("New development value").fill("re_dev_live_update");
  await a.page.getByRole("button", { name: "Save value" }).click();
  await expect(valueRow(a.page, "development")).toContainText(next);

  await expect(valueRow(b.page, "development")).toContainText(next, { timeout: 2000 });
  await expect(b.page.getByRole("table", { name: "Value history" })).toContainText(next);
  await a.context.close();
  await b.context.close();
});
