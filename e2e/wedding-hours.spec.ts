// Longer than 300 lines: the wedding-hours flows share one lock that the first flow sets and later ones rely on (they run in order).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asSuperuser } from "./db";
import {
  asUser,
  captureAction,
  localInput,
  ORG,
  openMenu,
  openVariable,
  runSuffix,
  valueRow,
} from "./support";
import { startTargetReceiver } from "./target";

// A lock starting or ending is a time event, not a write: nothing notifies it, the page schedules it.
test("when wedding hours start and end, the banner and the lock follow without a reload", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  // A short blackout written straight into the database: no audit row, so no live event announces anything.
  const [blackout] = await asSuperuser(
    (sql) => sql<
      { id: string }[]
    >`insert into protection_blackouts (organization_id, starts_at, ends_at, reason)
      select id, now() + interval '8 seconds', now() + interval '16 seconds', 'E2E short blackout'
        from organizations where slug = ${ORG} returning id`,
  );
  try {
    await openVariable(page, "NEXT_PUBLIC_POSTHOG_KEY");
    const banner = page.getByText(/Wedding hours: production .*read-only until/);
    const edit = valueRow(page, "production").getByRole("button", { name: "Edit production value" });
    await expect(edit).toBeEnabled();
    await expect(banner).toHaveCount(0);
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(edit).toBeDisabled();
    await expect(banner).toBeHidden({ timeout: 20_000 });
    await expect(edit).toBeEnabled();
    await expect(valueRow(page, "production")).not.toContainText("locked: wedding hours");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
  } finally {
    await context.close();
    await asSuperuser(
      (sql) => sql`delete from protection_blackouts where id = ${blackout.id} and ends_at <= now()`,
    );
  }
});

// Runs after every other spec (playwright.config: project dependency): it locks production until it ends.
test("wedding hours lock production: banner, disabled controls, a crafted request refused", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");

  // Before the lock, capture a real production edit to replay during it.
  await openVariable(page, "NEXT_PUBLIC_POSTHOG_KEY");
  await valueRow(page, "production").getByRole("button", { name: "Edit production value" }).click();
  await page.getByLabel("New production value").fill("phc_production_v2");
  const captured = captureAction(page);
  await page.getByRole("button", { name: "Save value" }).click();
  const request = await captured;
  await expect(valueRow(page, "production")).toContainText("v2");

  // A blackout covering now, entered in the organization's time zone through the settings page.
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  const now = Date.now();
  const form = page.getByRole("form", { name: "Add blackout" });
  await form.getByLabel("Starts").fill(localInput(new Date(now - 2 * 60_000), "Europe/London"));
  await form.getByLabel("Ends").fill(localInput(new Date(now + 20 * 60_000), "Europe/London"));
  await form.getByLabel("Reason").fill("E2E flagship wedding");
  await form.getByRole("button", { name: "Add blackout" }).click();
  await expect(page.getByRole("list", { name: "Blackouts" })).toContainText("E2E flagship wedding");

  // The banner is on every console page and names the locked environments and the end, in London time.
  for (const path of ["", "/variables", "/environments", "/matrix"]) {
    await page.goto(`/o/${ORG}${path}`);
    await expect(
      page.getByText(/Wedding hours: production .*read-only until .*\(Europe\/London\)/),
    ).toBeVisible();
  }
  // The matrix and compare say so before anything is submitted: production's cells are read-only, with why.
  await page.goto(`/o/${ORG}/matrix?q=NEXT_PUBLIC_POSTHOG_KEY`);
  await page
    .getByRole("grid", { name: "Environment matrix" })
    .getByRole("gridcell", { name: /^NEXT_PUBLIC_POSTHOG_KEY in production:/ })
    .click();
  const cell = page.getByRole("dialog", { name: "NEXT_PUBLIC_POSTHOG_KEY in production" });
  await expect(cell).toContainText(/Locked for wedding hours until .*\(Europe\/London\)/);
  await expect(cell.getByRole("link", { name: "Break glass…" })).toBeVisible();
  await expect(cell.getByLabel("New value")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await page.goto(`/o/${ORG}/compare?from=staging&to=production`);
  await expect(
    page.getByText(/production is locked for wedding hours until .*\(Europe\/London\)/),
  ).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Promote NEXT_PUBLIC_POSTHOG_KEY" })).toBeDisabled();
  await expect(page.getByRole("button", { name: /Promote \d+ to production/ })).toBeDisabled();
  await page.goto(`/o/${ORG}/compare?from=development&to=staging`);
  await expect(page.getByText(/locked for wedding hours/)).toHaveCount(0);

  await openVariable(page, "NEXT_PUBLIC_POSTHOG_KEY");
  await expect(
    valueRow(page, "production").getByRole("button", { name: "Edit production value" }),
  ).toBeDisabled();
  await expect(valueRow(page, "staging").getByRole("button", { name: "Edit staging value" })).toBeEnabled();

  // The replayed request (expected version 1 → it would also be stale; the lock is checked first).
  const refused = await page.request.post(request.url, { headers: request.headers, data: request.body });
  expect(refused.status()).toBeLessThan(500);
  expect(await refused.text()).toContain("locked:wedding_hours");

  // The blackout cannot be removed while it is in force.
  await page.goto(`/o/${ORG}/settings`);
  await page.getByRole("button", { name: "Remove E2E flagship wedding" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /wedding hours/i })).toBeVisible();
  await context.close();
});

test("on-call breaks glass, changes production, and a reviewer acknowledges the change", {
  tag: "@phone",
}, async ({ browser }) => {
  const oncall = await asUser(browser, "oncall@demo.test");
  await expectAccessible(oncall.page, "the dashboard with the wedding-hours banner");
  await oncall.page.getByRole("link", { name: "Break glass…" }).click();
  const form = oncall.page.getByRole("form", { name: "Break glass" });
  await form.getByLabel("Reason").fill("short");
  await form.getByRole("button", { name: "Break glass" }).click();
  await expect(form.getByText(/at least 10 characters/)).toBeVisible();
  await form
    .getByLabel("Reason")
    .fill("PostHog key revoked by vendor; analytics down during the flagship wedding");
  await form.getByLabel("For how long").selectOption("15");
  await form.getByRole("button", { name: "Break glass" }).click();
  const banner = oncall.page.getByRole("alert", { name: "Emergency access" });
  await expect(banner).toContainText("Emergency access to production");
  const countdown = oncall.page.getByTestId("emergency-countdown");
  await expect(countdown).toHaveText(/^1[45]:\d\d$/);
  // Announced once: the countdown ticks outside every live region, and the alert's words hold still.
  const live = '[role="alert"], [role="status"], [role="log"], [aria-live]:not([aria-live="off"])';
  expect(
    await countdown.evaluate((el, selector) => el.closest(selector)?.outerHTML ?? null, live),
  ).toBeNull();
  const announced = await banner.textContent();
  const shown = await countdown.textContent();
  await expect(countdown).not.toHaveText(shown ?? "");
  expect(await banner.textContent()).toBe(announced);
  await expectAccessible(oncall.page, "the dashboard with the emergency banner");

  await openVariable(oncall.page, "NEXT_PUBLIC_POSTHOG_KEY");
  const production = valueRow(oncall.page, "production");
  const before = Number((await production.textContent())?.match(/v(\d+)/)?.[1]);
  await production.getByRole("button", { name: "Edit production value" }).click();
  await oncall.page.getByLabel("New production value").fill(`phc_emergency_rotated_${before}`);
  await oncall.page.getByRole("button", { name: "Save value" }).click();
  await expect(production).toContainText(`v${before + 1}`);

  // The reviewer sees it waiting, with the reason, and acknowledges it; the on-call user cannot.
  await oncall.page.goto(`/o/${ORG}/approvals`);
  // On-call sees their change waiting (read-only: a reviewer acknowledges it).
  await expect(
    oncall.page
      .getByRole("table", { name: "Emergency changes" })
      .getByRole("row")
      .filter({ hasText: "NEXT_PUBLIC_POSTHOG_KEY" }),
  ).toContainText("waits for a reviewer");
  const reviewer = await asUser(browser, "reviewer@demo.test");
  await openMenu(reviewer.page);
  // On a fresh database this is the only one; the phone run (the same database) finds the desktop run's
  // leftovers too, so it counts from what waits.
  await expect(reviewer.page.getByRole("status", { name: /\d+ emergency changes? to review/ })).toBeVisible();
  await reviewer.page.goto(`/o/${ORG}/approvals`);
  const heading = reviewer.page.getByText(/^Emergency changes to review \(\d+\)$/);
  const waiting = Number((await heading.textContent())?.match(/\((\d+)\)/)?.[1]);
  expect(waiting).toBeGreaterThanOrEqual(1);
  const table = reviewer.page.getByRole("table", { name: "Emergency changes" });
  const row = table.getByRole("row").filter({ hasText: "NEXT_PUBLIC_POSTHOG_KEY" });
  await expect(row).toContainText("oncall@demo.test");
  await expect(row).toContainText("PostHog key revoked by vendor");
  await row.getByLabel("Note").fill("Confirmed with PostHog support");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(reviewer.page.getByText(`Emergency changes to review (${waiting - 1})`)).toBeVisible();
  if (waiting === 1) {
    await openMenu(reviewer.page);
    await expect(reviewer.page.getByRole("navigation", { name: "Console" })).toBeVisible();
    await expect(reviewer.page.getByRole("status", { name: /emergency change.* to review/ })).toHaveCount(0);
  }

  // Ending emergency access restores the lock at once.
  await oncall.page.getByRole("button", { name: "End emergency access" }).click();
  await expect(oncall.page.getByText(/Wedding hours: production .*read-only/)).toBeVisible();
  await openVariable(oncall.page, "NEXT_PUBLIC_POSTHOG_KEY");
  // On-call may propose production changes, but not during wedding hours: the control is disabled again.
  await expect(
    valueRow(oncall.page, "production").getByRole("button", { name: /Edit production value/ }),
  ).toBeDisabled();
  await oncall.context.close();
  await reviewer.context.close();
});

test(
  "on a wedding Saturday, on-call sees a critical drift and resolves it by breaking glass; health turns green",
  { tag: "@phone" },
  async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    // The phone run adds its own target next to the desktop run's.
    const target = `web-prod${runSuffix(testInfo).toLowerCase().replaceAll("_", "-")}`;
    const why = `The production web tier's receiver${runSuffix(testInfo).toLowerCase().replaceAll("_", " ")}`;
    // A deployment next to the app: the reference receiver, empty (nothing of production is deployed yet).
    const dir = await mkdtemp(path.join(os.tmpdir(), "rb-e2e-target-"));
    const secret = "e2e-shared-secret-for-the-production-receiver";
    const receiver = await startTargetReceiver(path.join(dir, "production.env"), secret);
    try {
      const admin = await asUser(browser, "admin@demo.test");
      await admin.page.goto(`/o/${ORG}/drift`);
      const form = admin.page.getByRole("form", { name: "Add a sync target" });
      await form.getByLabel("Environment").selectOption({ label: "production" });
      await form.getByLabel("Target name").fill(target);
      await form.getByLabel("Kind").selectOption("http");
      await form.getByLabel("Location").fill(receiver.url);
      await form.getByLabel("Shared secret").fill(secret);
      // Production values will be sent there: a second person approves the new target first (review finding 2).
      await form.getByLabel("Reason").fill(why);
      await form.getByRole("button", { name: "Add target" }).click();
      await expect(form.getByRole("status")).toContainText("Sent for approval (HIGH risk)");
      // Not listed (on a fresh database there is no list at all yet).
      await expect(admin.page.getByRole("row").filter({ hasText: target })).toHaveCount(0);
      await admin.context.close();
      const reviewer = await asUser(browser, "reviewer@demo.test");
      await reviewer.page.goto(`/o/${ORG}/approvals`);
      const request = reviewer.page
        .getByRole("article", { name: /Change request: New sync target by admin@demo\.test/ })
        .filter({ hasText: why });
      await expect(request).toContainText(receiver.url);
      await request.getByRole("button", { name: "Approve and apply" }).click();
      await expect(
        reviewer.page
          .getByRole("region", { name: "Recently decided" })
          .getByRole("article")
          .filter({ hasText: why }),
      ).toContainText("approved by reviewer@demo.test");
      await reviewer.context.close();

      const oncall = await asUser(browser, "oncall@demo.test");
      await oncall.page.goto(`/o/${ORG}/drift`);
      await oncall.page.getByRole("button", { name: `Scan ${target}`, exact: true }).click();
      const drift = oncall.page.getByRole("table", { name: "Unresolved drift" });
      const database = drift.getByRole("row").filter({ hasText: "DATABASE_URL" });
      await expect(database).toContainText("critical");
      await expect(database).toContainText("missing on the target");
      await expect(database).toContainText("locked for wedding hours: break glass");
      await expect(database.getByRole("button", { name: "Push console value" })).toHaveCount(0);
      // The sidebar (on a phone, the menu) says so on every page, and the summary leads to production's
      // critical drift.
      await openMenu(oncall.page);
      await expect(oncall.page.getByRole("status", { name: /unresolved drift, \d+ critical/ })).toBeVisible();
      await oncall.page
        .getByRole("table", { name: "Unresolved drift by environment" })
        .getByRole("link", { name: /critical in production/ })
        .click();
      await expect(oncall.page.getByText(/Showing critical drift in production/)).toBeVisible();
      await expect(drift.getByRole("row").filter({ hasText: "DATABASE_URL" })).toBeVisible();

      await oncall.page.goto(`/o/${ORG}`);
      const card = oncall.page.getByRole("region", { name: "production health" });
      await expect(card).toContainText("critical");
      await expect(card.getByRole("list", { name: "Why production is critical" })).toContainText(
        "critical drift",
      );

      // The allowed path during wedding hours: break glass, push what the console holds, scan again.
      await oncall.page.getByRole("link", { name: "Break glass…" }).click();
      const glass = oncall.page.getByRole("form", { name: "Break glass" });
      await glass.getByLabel("Reason").fill("Production receiver lost its configuration during the wedding");
      await glass.getByLabel("For how long").selectOption("15");
      await glass.getByRole("button", { name: "Break glass" }).click();
      await expect(oncall.page.getByRole("alert", { name: "Emergency access" })).toBeVisible();
      await oncall.page.goto(`/o/${ORG}/drift`);
      await oncall.page.getByRole("button", { name: `Push to ${target}`, exact: true }).click();
      await expect(oncall.page.getByRole("status").filter({ hasText: /Pushed \d+ key\(s\)/ })).toBeVisible();
      await oncall.page.getByRole("button", { name: `Scan ${target}`, exact: true }).click();
      await expect(
        oncall.page.getByText("No drift: every scanned target holds what the console expects."),
      ).toBeVisible();
      await openMenu(oncall.page);
      await expect(oncall.page.getByRole("navigation", { name: "Console" })).toBeVisible();
      await expect(oncall.page.getByRole("status", { name: /unresolved drift/ })).toHaveCount(0);

      await oncall.page.goto(`/o/${ORG}`);
      await expect(oncall.page.getByRole("region", { name: "production health" })).toContainText("healthy");
      await oncall.page.getByRole("button", { name: "End emergency access" }).click();
      await oncall.context.close();
      // A developer cannot write production: its syncs are listed, with no rollback offered.
      const dev = await asUser(browser, "dev@demo.test");
      await dev.page.goto(`/o/${ORG}/drift`);
      await expect(dev.page.getByRole("table", { name: "Recent syncs" })).toContainText("web-prod");
      await expect(dev.page.getByRole("button", { name: /^Roll back to this \(web-prod/ })).toHaveCount(0);
      await dev.context.close();
    } finally {
      await receiver.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
