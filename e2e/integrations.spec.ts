import { createHmac } from "node:crypto";
import http from "node:http";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asUser, navigate, ORG, signIn } from "./support";

const PHONE = { width: 390, height: 844 };
const NAME = "Payments";
const KEY = "sk_test_e2eIntegrationKey0123456789";
const VARIABLE = "STRIPE_E2E_SECRET_KEY";
const WEBHOOK = "Stripe events";
const SIGNING = "whsec_e2eSigningSecret0123456789";

/**
 * Stripe's API as the health check sees it, on loopback at the FIXED port e2e/server.mjs gives the app as
 * RINGBEARER_STRIPE_API_URL (keep the two in step): `GET /v1/balance` answers 200 for `Bearer KEY`, 401 for any
 * other key, and 500 while `failing` is set. It keeps the Authorization headers it was sent.
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

const list = (page: Page) => page.getByRole("table", { name: "Integrations" });
const row = (page: Page, name: string) => list(page).getByRole("row").filter({ hasText: name });
const health = (page: Page) => page.getByRole("region", { name: "Health", exact: true });

test.describe.configure({ mode: "serial" });

let stripe: Awaited<ReturnType<typeof fakeStripe>>;
test.beforeAll(async () => {
  stripe = await fakeStripe();
});
test.afterAll(async () => {
  await stripe?.close();
});

test("an admin adds a Stripe API-key config in staging (its key kept in the vault) and checks its health as Stripe fails and recovers", async ({
  browser,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}`);
  await navigate(page, "Integrations");
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  await page.getByRole("link", { name: "New integration" }).click();
  const form = page.getByRole("form", { name: "Add integration" });
  await form.getByLabel("Platform", { exact: true }).selectOption({ label: "Stripe" });
  await form.getByLabel("Kind", { exact: true }).selectOption({ label: "API key" });
  await form.getByLabel("Environment", { exact: true }).selectOption("staging");
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await form.getByLabel("Sync interval (minutes)").fill("30");
  await form.getByLabel("Sync direction").selectOption("bidirectional");
  await form.getByRole("checkbox", { name: "Sync invoices" }).check();
  // A secret is a write-only password input, named with the variable it is kept in (here one of our own).
  const key = form.getByLabel("Secret key", { exact: true });
  await expect(key).toHaveAttribute("type", "password");
  const variable = form.getByLabel("Variable for the Secret key");
  await expect(variable).toHaveValue("STRIPE_SECRET_KEY");
  await variable.fill(VARIABLE);
  await key.fill(KEY);
  // Rules that are not a JSON list, then a mapping twice to one field: told at the field, nothing lost.
  const mapping = form.getByLabel("Mapping rules");
  await mapping.fill("customer.email -> contact.email");
  await form.getByRole("button", { name: "Add integration" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Enter a JSON list of rules" })).toBeVisible();
  await mapping.fill(
    '[{"from": "customer.email", "to": "contact.email"}, {"from": "email", "to": "contact.email"}]',
  );
  await form.getByRole("button", { name: "Add integration" }).click();
  await expect(
    form.getByRole("alert").filter({ hasText: "Rule 2, to: contact.email is mapped twice" }),
  ).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(NAME);
  await mapping.fill('[{"from": "customer.email", "to": "contact.email"}]');
  await form.getByRole("button", { name: "Add integration" }).click();

  await expect(page).toHaveURL(new RegExp(`/o/${ORG}/integrations$`));
  const listed = row(page, NAME);
  await expect(listed).toContainText("Stripe · API key");
  await expect(listed).toContainText("staging");
  await expect(listed).toContainText("active");

  await listed.getByRole("link", { name: NAME }).click();
  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  await expect(page).toHaveTitle(`${NAME} · Integrations · Demo Weddings Ltd — Ringbearer`);
  const check = health(page).getByRole("button", { name: `Check now: ${NAME}` });
  const outcome = health(page).getByRole("status");

  await check.click();
  await expect(outcome).toHaveText(/^Healthy: Answered in \d+ ms\.$/);
  await expect(health(page)).toContainText(/checked \d/);

  stripe.state.failing = true;
  await check.click();
  await expect(outcome).toHaveText("Unhealthy: The provider failed (HTTP 500).");
  const checks = page.getByRole("table", { name: "Health checks" });
  await expect(checks.getByRole("row").nth(1)).toContainText("unhealthy");
  await expect(checks.getByRole("row").nth(1)).toContainText("500");
  // Every open console hears it: a live alert names it, and goes when it recovers.
  const alert = page.getByRole("alert").filter({ hasText: "is unhealthy" });
  await expect(alert).toContainText(`${NAME} (stripe, staging) is unhealthy.`);

  stripe.state.failing = false;
  await check.click();
  await expect(outcome).toHaveText(/^Healthy: Answered in \d+ ms\.$/);
  await expect(checks.getByRole("row").nth(1)).toContainText("healthy");
  await expect(alert).toHaveCount(0);
  await expect(
    page.getByText(/^Last \d+ checks: \d+ healthy, (\d+ degraded, )?\d+ unhealthy; slowest answer \d+ ms\.$/),
  ).toBeVisible();

  // The settings came back as saved; Stripe got the key from the vault; the page never shows it.
  const settings = page.getByRole("form", { name: `Settings of ${NAME}` });
  await expect(settings.getByLabel("Sync interval (minutes)")).toHaveValue("30");
  await expect(settings.getByRole("checkbox", { name: "Sync invoices" })).toBeChecked();
  await expect(settings.getByLabel("Variable for the Secret key")).toHaveValue(VARIABLE);
  await expect(settings.getByText("set", { exact: true })).toBeVisible();
  await expect(settings.getByLabel("Secret key", { exact: true })).toHaveValue("");
  expect(new Set(stripe.state.auth)).toEqual(new Set([`Bearer ${KEY}`]));
  expect(await page.content()).not.toContain(KEY);
  await expectAccessible(page, "/integrations/[id]");

  await page.goto(`/o/${ORG}/integrations`);
  await expect(row(page, NAME)).toContainText("healthy");
  await context.close();
});

test("a Stripe webhook config shows the endpoint to paste at Stripe and logs what arrives there", async ({
  browser,
  request,
}) => {
  const { page, context } = await asUser(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}/integrations/new`);
  const form = page.getByRole("form", { name: "Add integration" });
  await form.getByLabel("Platform", { exact: true }).selectOption({ label: "Stripe" });
  await form.getByLabel("Kind", { exact: true }).selectOption({ label: "Webhook (inbound events)" });
  await form.getByLabel("Environment", { exact: true }).selectOption("staging");
  await form.getByLabel("Name", { exact: true }).fill(WEBHOOK);
  await form.getByLabel("Webhook signing secret", { exact: true }).fill(SIGNING);
  await form.getByRole("button", { name: "Add integration" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}/integrations$`));
  await expect(row(page, WEBHOOK)).toContainText("no health check for this kind");
  await row(page, WEBHOOK).getByRole("link", { name: WEBHOOK }).click();
  await expect(page.getByRole("heading", { level: 1, name: WEBHOOK })).toBeVisible();

  const id = new URL(page.url()).pathname.split("/").pop() ?? "";
  const endpoint = page.getByLabel("Endpoint URL");
  await expect(endpoint).toHaveValue(new URL(`/api/v1/integrations/${id}/webhook`, page.url()).href);
  await expect(page.getByText("No events received")).toBeVisible();

  const body = JSON.stringify({ id: "evt_e2e_1", type: "invoice.paid", data: { object: {} } });
  const t = Math.floor(Date.now() / 1000);
  const signed = `t=${t},v1=${createHmac("sha256", SIGNING).update(`${t}.${body}`).digest("hex")}`;
  const send = (signature: string) =>
    request.post(`/api/v1/integrations/${id}/webhook`, {
      headers: { "content-type": "application/json", "stripe-signature": signature },
      data: body,
    });
  expect((await send(signed)).status()).toBe(200);
  expect((await send(`t=${t},v1=${"0".repeat(64)}`)).status()).toBe(400);

  await page.reload();
  const log = page.getByRole("table", { name: "Inbound events" });
  const received = log.getByRole("row").filter({ hasText: "evt_e2e_1" });
  await expect(received).toContainText("invoice.paid");
  await expect(received.getByText("valid", { exact: true })).toBeVisible();
  await expect(received).toContainText("ignored");
  await expect(log.getByRole("row").filter({ hasText: "refused" })).toContainText("invalid");
  expect(await page.content()).not.toContain(SIGNING);
  await context.close();
});

test("a viewer reads the integrations and one's health history, read-only, and why", async ({ browser }) => {
  const { page, context } = await asUser(browser, "viewer@demo.test");
  await page.goto(`/o/${ORG}/integrations`);
  await expect(row(page, NAME)).toContainText("healthy");
  await expect(
    page.getByText(/Your role \(viewer\) cannot manage analytics destinations and integrations/),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "New integration" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Check now/ })).toHaveCount(0);
  // On-call staff and viewers open a config for its health and history, without its form or buttons.
  await list(page).getByRole("link", { name: NAME }).click();
  await expect(page.getByRole("heading", { name: "Health", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /Check now|Save|Delete/ })).toHaveCount(0);
  await expect(
    page.getByText(/Your role \(viewer\) cannot manage analytics destinations and integrations/),
  ).toBeVisible();
  await context.close();
});

/** A phone-sized browser, signed in. */
async function onPhone(browser: Browser, email: string) {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, email);
  return { page, context };
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("on a phone the list, a new integration's form and an integration's page fit the screen", async ({
  browser,
}) => {
  const { page, context } = await onPhone(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}/integrations`);
  await expect(row(page, NAME)).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  // The table scrolls inside its own region, never the page.
  await expect(page.getByRole("region", { name: "Integrations (table)" })).toBeVisible();
  await expectAccessible(page, "/integrations at 390px");

  await page.goto(`/o/${ORG}/integrations/new`);
  const form = page.getByRole("form", { name: "Add integration" });
  await form.getByLabel("Platform", { exact: true }).selectOption({ label: "HubSpot" });
  await form.getByLabel("Environment", { exact: true }).selectOption("production");
  // Production: a reason for the reviewer is asked for.
  await expect(form.getByLabel("Reason")).toBeVisible();
  await expect(form.getByLabel("Private app access token", { exact: true })).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page, "/integrations/new at 390px");

  await page.goto(`/o/${ORG}/integrations`);
  await row(page, NAME).getByRole("link", { name: NAME }).click();
  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  await expect(page.getByRole("table", { name: "Health checks" })).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page, "/integrations/[id] at 390px");
  await context.close();
});
