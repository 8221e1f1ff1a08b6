import { type Browser, expect, type Page, type Request, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asUser, ORG, openVariable } from "./support";

/**
 * Every page of app/ (each page.tsx route), as the persona who uses it, through axe (WCAG 2.x A and AA):
 * no serious or critical violation, and no page wider than the window. Tagged @phone: the "phone" project
 * runs it again at 390×844. The emergency and wedding-hours banners are checked in wedding-hours.spec.ts,
 * where a lock is in force.
 */
const heading = (page: Page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible();

/** Each page names itself first in the window's title (a tab, a screen reader's "page loaded"). */
const TITLES: Record<string, string> = {
  "": "Dashboard",
  "/variables": "Variables",
  "/variables/new": "New variable · Variables",
  "/matrix": "Matrix",
  "/compare": "Compare",
  "/environments": "Environments",
  "/access": "Access",
  "/tokens": "Tokens",
  "/cli-login": "CLI login",
  "/webhooks": "Webhooks",
  "/destinations": "Destinations",
  "/destinations/new": "New destination · Destinations",
  "/integrations": "Integrations",
  "/integrations/new": "New integration · Integrations",
  "/api": "API",
  "/account": "Account & sessions",
  "/approvals": "Approvals",
  "/audit": "Audit",
  "/drift": "Drift",
  "/settings": "Settings",
  "/emergency": "Break glass",
};
const titled = (page: string) => `${page} · Demo Weddings Ltd — Ringbearer`;

async function visit(page: Page, path: string, ready: (page: Page) => Promise<void> = heading) {
  await page.goto(`/o/${ORG}${path}`);
  await ready(page);
  await expect.soft(page).toHaveTitle(titled(TITLES[path]));
  await expectAccessible(page, `${path || "/"} at ${page.viewportSize()?.width}px`);
}

async function visitAll(browser: Browser, email: string, paths: string[]) {
  const user = await asUser(browser, email);
  for (const path of paths) await visit(user.page, path);
  return user;
}

test(
  "signed-out pages: sign in, an invitation, one that does not exist, not found",
  { tag: ["@phone", "@walk"] },
  async ({ browser, page }, testInfo) => {
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect.soft(page).toHaveTitle("Sign in — Ringbearer");
    await expectAccessible(page, "/login");

    const admin = await asUser(browser, "admin@demo.test");
    await admin.page.goto(`/o/${ORG}/access`);
    const form = admin.page.getByRole("form", { name: "Invite" });
    await form.getByLabel("Email").fill(`axe-${testInfo.project.name}-${Date.now()}@demo.test`);
    await form.getByRole("button", { name: "Create invite link" }).click();
    const link = await admin.page
      .getByRole("region", { name: "Invite link" })
      .getByLabel("Invitation link")
      .inputValue();
    await admin.context.close();
    await page.goto(new URL(link).pathname);
    await expect(page.getByRole("heading", { name: /Join / })).toBeVisible();
    await expect.soft(page).toHaveTitle("Invitation — Ringbearer");
    await expectAccessible(page, "/invite/[token]");
    await page.goto(`/invite/${"x".repeat(43)}`);
    await expect(page.getByRole("heading", { name: "Invitation not found" })).toBeVisible();
    await expectAccessible(page, "/invite/[unknown token]");
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect.soft(page).toHaveTitle("Not found — Ringbearer");
    await expectAccessible(page, "not found");
  },
);

test("an admin's pages", { tag: ["@phone", "@walk"] }, async ({ browser }) => {
  test.setTimeout(240_000); // a dozen pages, each through axe
  const { page, context } = await visitAll(browser, "admin@demo.test", [
    "",
    "/variables",
    "/variables/new",
    "/compare",
    "/environments",
    "/access",
    "/tokens",
    "/cli-login",
    "/webhooks",
    // Destinations and integrations: axe and the phone width in their own specs (CI time).
    "/api",
    "/account",
    "/approvals",
    "/audit",
    "/drift",
    "/settings",
    "/emergency",
  ]);
  await visit(page, "/matrix", (p) =>
    expect(p.getByRole("gridcell", { name: /^DATABASE_URL in development:/ })).toBeVisible(),
  );
  await openVariable(page, "DATABASE_URL");
  await expect.soft(page).toHaveTitle(titled("DATABASE_URL · Variables"));
  await expectAccessible(page, "/variables/[id]");
  await page.goto(`/o/${ORG}/environments`);
  await page.getByRole("link", { name: "Edit development" }).click();
  await heading(page);
  await expect.soft(page).toHaveTitle(titled("Edit development · Environments"));
  await expectAccessible(page, "/environments/[id]");
  await page.goto(`/o/${ORG}/environments`);
  await page.getByRole("link", { name: "Import or export development" }).click();
  await heading(page);
  await expect.soft(page).toHaveTitle(titled("development: import and export · Environments"));
  await expectAccessible(page, "/environments/[id]/dotenv");
  await context.close();
});

test("a security reviewer's, an on-call engineer's, a developer's and a viewer's pages", {
  tag: ["@phone", "@walk"],
}, async ({ browser }) => {
  test.setTimeout(240_000); // a dozen pages, each through axe
  const reviewer = await visitAll(browser, "reviewer@demo.test", ["/approvals", "/audit"]);
  await reviewer.context.close();
  const oncall = await visitAll(browser, "oncall@demo.test", ["", "/drift", "/emergency"]);
  await oncall.context.close();
  const dev = await visitAll(browser, "dev@demo.test", ["/approvals"]);
  await openVariable(dev.page, "RESEND_API_KEY");
  await expectAccessible(dev.page, "/variables/[id] as a developer");
  await dev.context.close();
  const viewer = await visitAll(browser, "viewer@demo.test", ["/variables", "/audit"]);
  await viewer.context.close();
});

test("a link followed while its prefetch is still on its way names its page", async ({ browser }) => {
  // Next commits such a navigation with an empty head (vercel/next.js#98684); the title guard puts it back.
  // Each loading-boundary prefetch (the second stage, which carries the router's state tree) is held, and the
  // link is followed once its prefetch has started: the race is certain instead of occasional.
  const { page, context } = await asUser(browser, "admin@demo.test");
  const held = (request: Request) => {
    const headers = request.headers();
    return Boolean(headers["next-router-prefetch"] && headers["next-router-state-tree"]);
  };
  await page.route(/\/o\//, async (route) => {
    if (held(route.request())) await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue().catch(() => {}); // the page may have moved on
  });
  const prefetching = (path: RegExp) =>
    page.waitForRequest((r) => held(r) && path.test(new URL(r.url()).pathname));

  const started = prefetching(/\/environments\/[^/]+$/);
  await page.goto(`/o/${ORG}/environments`);
  await started;
  await page.getByRole("link", { name: "Edit development" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit development" })).toBeVisible();
  await expect(page).toHaveTitle(titled("Edit development · Environments"));
  await context.close();
});
