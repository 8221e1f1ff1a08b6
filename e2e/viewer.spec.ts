import { expect, test } from "@playwright/test";
import { asUser, captureAction, navigate, ORG, openVariable, valueRow } from "./support";

test(
  "a viewer reads what they may, sees no edit controls, and a forged edit is refused",
  {
    tag: "@phone",
  },
  async ({ browser }, testInfo) => {
    // The admin's real "save value" request, captured to be replayed with the viewer's session. The phone run
    // (the same database, after the desktop one) sets the other value.
    const value = testInfo.project.use.isMobile ? "true" : "false";
    const admin = await asUser(browser, "admin@demo.test");
    await openVariable(admin.page, "FEATURE_NEW_BOOKING_FLOW");
    const before = Number((await valueRow(admin.page, "development").textContent())?.match(/v(\d+)/)?.[1]);
    const saved = `v${before + 1}`;
    await valueRow(admin.page, "development").getByRole("button", { name: "Edit development value" }).click();
    await admin.page.getByLabel("New development value").fill(value);
    const captured = captureAction(admin.page);
    await admin.page.getByRole("button", { name: "Save value" }).click();
    const request = await captured;
    await expect(valueRow(admin.page, "development")).toContainText(saved);

    const viewer = await asUser(browser, "viewer@demo.test");
    await navigate(viewer.page, "Variables");
    await expect(viewer.page.getByRole("link", { name: "New variable" })).toHaveCount(0);
    await openVariable(viewer.page, "FEATURE_NEW_BOOKING_FLOW");
    const dev = valueRow(viewer.page, "development");
    await expect(dev.getByRole("button", { name: /Edit|Set|Delete/ })).toHaveCount(0);
    await expect(viewer.page.getByRole("button", { name: "Delete variable" })).toHaveCount(0);
    await dev.getByRole("button", { name: "Reveal development value" }).click();
    await expect(viewer.page.getByTestId("revealed-development")).toHaveText(value);
    // Production is beyond a viewer: no reveal.
    await expect(valueRow(viewer.page, "production").getByRole("button", { name: /Reveal/ })).toHaveCount(0);

    const forged = await viewer.page.request.post(request.url, {
      headers: request.headers,
      data: request.body,
    });
    expect(forged.status()).toBeLessThan(500);
    expect(await forged.text()).toContain("forbidden");
    await admin.page.reload();
    await expect(valueRow(admin.page, "development")).toContainText(saved);
    await admin.context.close();
    await viewer.context.close();

    const anonymous = await browser.newContext();
    const res = await anonymous.request.post(request.url, {
      headers: request.headers,
      data: request.body,
      maxRedirects: 0,
    });
    expect(res.status()).toBeLessThan(500);
    expect(await res.text()).not.toContain('"ok":true');
    await anonymous.close();
    expect(ORG).toBe("demo");
  },
);

test("each role is offered only the controls its capabilities allow, and told why", async ({ browser }) => {
  // A viewer reads staging but cannot change it: compare shows the differences, no promotion.
  const viewer = await asUser(browser, "viewer@demo.test");
  await viewer.page.goto(`/o/${ORG}/compare?from=development&to=staging`);
  await expect(viewer.page.getByRole("heading", { name: /development → staging/ })).toBeVisible();
  await expect(viewer.page.getByText("Your role (viewer) cannot change values in staging.")).toBeVisible();
  await expect(viewer.page.getByRole("checkbox", { name: /^Promote / })).toHaveCount(0);
  await expect(viewer.page.getByRole("button", { name: /^Promote / })).toHaveCount(0);
  // …and the matrix cell says so instead of offering an editor.
  await viewer.page.goto(`/o/${ORG}/matrix?q=NEXT_PUBLIC_POSTHOG_KEY`);
  await viewer.page
    .getByRole("grid", { name: "Environment matrix" })
    .getByRole("gridcell", { name: /^NEXT_PUBLIC_POSTHOG_KEY in staging:/ })
    .click();
  const cell = viewer.page.getByRole("dialog", { name: "NEXT_PUBLIC_POSTHOG_KEY in staging" });
  await expect(cell).toContainText("Your role (viewer) cannot change values in staging.");
  await expect(cell.getByLabel("New value")).toHaveCount(0);
  await viewer.context.close();

  // A security reviewer approves but does not edit: no value or detail controls on a variable.
  const reviewer = await asUser(browser, "reviewer@demo.test");
  await openVariable(reviewer.page, "NEXT_PUBLIC_POSTHOG_KEY");
  await expect(reviewer.page.getByRole("button", { name: /^(Edit|Set|Delete) / })).toHaveCount(0);
  await expect(reviewer.page.getByRole("button", { name: /Save/ })).toHaveCount(0);
  await reviewer.context.close();
});
