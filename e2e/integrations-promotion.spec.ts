import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { asUser, navigate, ORG, openVariable, valueRow } from "./support";

/**
 * Issue 15: Stripe's key goes from staging to production the way any confidential value does (promotion, a
 * reviewer's approval), then production's Stripe config uses it and its health follows the provider. Names are
 * this run's own: the test does not depend on, or collide with, the other specs (integrations.spec.ts keeps the
 * one staging Stripe API-key config for itself) or an earlier run on the same database. The e2e server seeds no
 * weekly wedding-hours window (RINGBEARER_SEED_WEDDING_WINDOW=false), so production is not locked.
 */
const RUN = Date.now().toString(36).toUpperCase();
const VARIABLE = `STRIPE_E2E_LIVE_KEY_${RUN}`;
const KEY = "sk_test_e2ePromotedKey0123456789";
const NAME = "Stripe live";
const REASON = "Going live: the key checked in staging, for production";

/**
 * Stripe's API on loopback at the FIXED port e2e/server.mjs gives the app as RINGBEARER_STRIPE_API_URL (shared with
 * integrations.spec.ts, which runs its own after this file closes it): `GET /v1/balance` answers 200 for
 * `Bearer KEY`, 401 for any other key, and 500 while `failing` is set. It keeps the Authorization headers.
 */
const STRIPE_PORT = 47811;
async function fakeStripe() {
  const state = { failing: false, auth: [] as string[] };
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/v1/balance") return void res.writeHead(404).end();
    state.auth.push(req.headers.authorization ?? "");
    if (state.failing) return void res.writeHead(500).end('{"error":{"type":"api_error"}}');
    if (req.headers.authorization !== `Bearer ${KEY}`) return void res.writeHead(401).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end('{"object":"balance","available":[]}');
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(STRIPE_PORT, "127.0.0.1", done);
  });
  return { state, close: () => new Promise<void>((done) => server.close(() => done())) };
}

let stripe: Awaited<ReturnType<typeof fakeStripe>>;
test.beforeAll(async () => {
  stripe = await fakeStripe();
});
test.afterAll(async () => {
  await stripe?.close();
});

const list = (page: Page) => page.getByRole("table", { name: "Integrations" });
const health = (page: Page) => page.getByRole("region", { name: "Health", exact: true });
const noKeyIn = async (page: Page) => expect(await page.content()).not.toContain(KEY);

/**
 * Production's Stripe API-key config, kept in VARIABLE and opened. There is one per environment: made here, or
 * (an earlier run's, on the same database) renamed and bound to this run's variable — a change that writes no
 * secret, so it needs no reviewer.
 */
async function openProductionConfig(page: Page) {
  await page.goto(`/o/${ORG}/integrations`);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  const existing = list(page)
    .getByRole("row")
    .filter({ hasText: "Stripe · API key" })
    .filter({ has: page.getByRole("cell", { name: "production", exact: true }) });
  if ((await existing.count()) > 0) {
    const name = (await existing.getByRole("link").first().textContent())?.trim() ?? "";
    await existing.getByRole("link", { name }).click();
    const settings = page.getByRole("form", { name: `Settings of ${name}` });
    await settings.getByLabel("Name", { exact: true }).fill(NAME);
    await settings.getByLabel("Variable for the Secret key").fill(VARIABLE);
    await settings.getByRole("button", { name: "Save integration" }).click();
    await expect(settings.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
  } else {
    await page.getByRole("link", { name: "New integration" }).click();
    const form = page.getByRole("form", { name: "Add integration" });
    await form.getByLabel("Platform", { exact: true }).selectOption({ label: "Stripe" });
    await form.getByLabel("Kind", { exact: true }).selectOption({ label: "API key" });
    await form.getByLabel("Environment", { exact: true }).selectOption("production");
    await form.getByLabel("Name", { exact: true }).fill(NAME);
    // No secret typed: the config is bound to the variable that now has production's value. A blank key writes
    // nothing, so the reason production asks for (a new secret waits for a reviewer) is not needed either.
    await form.getByLabel("Variable for the Secret key").fill(VARIABLE);
    await expect(form.getByLabel("Secret key", { exact: true })).toHaveValue("");
    await expect(form.getByLabel("Reason")).toBeVisible();
    await form.getByRole("button", { name: "Add integration" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/${ORG}/integrations$`));
    const listed = list(page).getByRole("row").filter({ hasText: NAME });
    await expect(listed).toContainText("Stripe · API key");
    await expect(listed).toContainText("production");
    await listed.getByRole("link", { name: NAME }).click();
  }
  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
}

test("an admin promotes the Stripe key from staging to production through a reviewer's approval, then production's Stripe config checks healthy, unhealthy as Stripe fails, healthy again", async ({
  browser,
}) => {
  test.setTimeout(120_000); // two people in two browsers
  const admin = await asUser(browser, "admin@demo.test");
  const { page } = admin;

  // The key is kept in the vault in staging: a confidential value there applies at once.
  await page.goto(`/o/${ORG}/variables/new`);
  await page.getByLabel("Name", { exact: true }).fill(VARIABLE);
  await page.getByLabel("Type").selectOption("api_key");
  await page.getByLabel("Classification").selectOption("confidential");
  await page.getByRole("button", { name: "Create variable" }).click();
  await expect(page.getByRole("heading", { level: 1, name: VARIABLE })).toBeVisible();
  await valueRow(page, "staging").getByRole("button", { name: "Set staging value" }).click();
  await page.getByLabel("New staging value").fill(KEY);
  await page.getByRole("button", { name: "Save value" }).click();
  await expect(valueRow(page, "staging").getByLabel("masked value")).toBeVisible();
  await expect(valueRow(page, "production")).toContainText("not set");

  // Compare staging with production and promote it: a confidential value into production is HIGH risk, so it
  // waits for a reviewer, and without a reason it is refused (nothing lost: the key stays selected).
  await navigate(page, "Compare");
  const choose = page.getByRole("form", { name: "Choose environments" });
  await choose.getByLabel("From").selectOption("staging");
  await choose.getByLabel("To").selectOption("production");
  await choose.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("heading", { name: /^staging → production:/ })).toBeVisible();
  const differences = page.getByRole("table", { name: "Differences" });
  const difference = differences.getByRole("row").filter({ hasText: VARIABLE });
  await expect(difference).toContainText("missing in target");
  const pick = page.getByRole("checkbox", { name: `Promote ${VARIABLE}` });
  await pick.check();
  const promote = page.getByRole("button", { name: "Promote 1 to production" });
  await promote.click();
  const refused = page.getByRole("alert").filter({ hasText: "Nothing was promoted." });
  await expect(refused).toContainText("This change needs a reviewer's approval (HIGH risk): say why");
  await expect(pick).toBeChecked();
  await page.getByLabel("Note (the reason, if it needs approval)").fill(REASON);
  await promote.click();
  await expect(page.getByRole("status").filter({ hasText: "Sent for approval" })).toHaveText(
    "Sent for approval (HIGH risk): 1 key(s) from staging to production wait for a reviewer.",
  );
  await expect(difference).toContainText("missing in target");
  await noKeyIn(page);

  // Before approval production has no value, and says a change waits.
  await openVariable(page, VARIABLE);
  const production = valueRow(page, "production");
  await expect(production).toContainText("not set");
  await expect(production).toContainText("Change by admin@demo.test waits for approval (HIGH)");
  await page.goto(`/o/${ORG}/approvals`);
  const mine = page
    .getByRole("region", { name: "Your requests" })
    .getByRole("article", { name: "Change request: Promotion in production by admin@demo.test" })
    .filter({ hasText: VARIABLE });
  await expect(mine).toContainText("pending");
  await expect(mine).toContainText("Your request: another reviewer decides it.");
  await expect(mine.getByRole("button", { name: "Approve and apply" })).toHaveCount(0);

  // A security reviewer (someone else) sees what, why and how risky — not the value — and approves it.
  const reviewer = await asUser(browser, "reviewer@demo.test");
  await reviewer.page.goto(`/o/${ORG}/approvals`);
  const card = reviewer.page
    .getByRole("article", { name: "Change request: Promotion in production by admin@demo.test" })
    .filter({ hasText: VARIABLE });
  await expect(card).toContainText("HIGH");
  await expect(card).toContainText("pending");
  await expect(card).toContainText(REASON);
  await expect(card).toContainText("set (new)");
  await expect(card.getByRole("button", { name: `Reveal proposed ${VARIABLE}` })).toHaveCount(0);
  await noKeyIn(reviewer.page);
  await card.getByLabel("Approval note").fill("Staging checked healthy with this key");
  await card.getByRole("button", { name: "Approve and apply" }).click();
  const decided = reviewer.page
    .getByRole("region", { name: "Recently decided" })
    .getByRole("article")
    .filter({ hasText: VARIABLE });
  await expect(decided).toContainText("approved by reviewer@demo.test");
  await reviewer.context.close();

  // Production has the value now.
  await openVariable(page, VARIABLE);
  await expect(production).toContainText("v1");
  await expect(production).not.toContainText("not set");
  await expect(page.getByRole("list", { name: "production changes waiting for approval" })).toHaveCount(0);

  // Production's Stripe config reads it from the vault; its health follows the provider.
  await openProductionConfig(page);
  const settings = page.getByRole("form", { name: `Settings of ${NAME}` });
  await expect(settings.getByLabel("Variable for the Secret key")).toHaveValue(VARIABLE);
  await expect(settings.getByText("set", { exact: true })).toBeVisible();
  await expect(settings.getByLabel("Secret key", { exact: true })).toHaveValue("");
  const check = health(page).getByRole("button", { name: `Check now: ${NAME}` });
  const outcome = health(page).getByRole("status");

  await check.click();
  await expect(outcome).toHaveText(/^Healthy: Answered in \d+ ms\.$/);
  stripe.state.failing = true;
  await check.click();
  await expect(outcome).toHaveText("Unhealthy: The provider failed (HTTP 500).");
  const checks = page.getByRole("table", { name: "Health checks" });
  await expect(checks.getByRole("row").nth(1)).toContainText("unhealthy");
  stripe.state.failing = false;
  await check.click();
  await expect(outcome).toHaveText(/^Healthy: Answered in \d+ ms\.$/);
  await expect(checks.getByRole("row").nth(1)).toContainText("healthy");

  // Stripe got the promoted key; no page showed it.
  expect(stripe.state.auth).toContain(`Bearer ${KEY}`);
  await noKeyIn(page);
  await admin.context.close();
});
