import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { asUser, navigate, ORG, signIn } from "./support";

const PHONE = { width: 390, height: 844 };
const NAME = "Site analytics";
const KEY = "phc_e2eProjectKey0123456789abcdef";

/** A PostHog stand-in on loopback: answers its flags endpoint, keeps the API keys it was sent. */
async function fakePostHog() {
  const keys: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (req.method === "POST" && req.url?.startsWith("/flags")) {
        keys.push((JSON.parse(body) as { api_key?: string }).api_key ?? "");
        res.writeHead(200, { "content-type": "application/json" }).end('{"flags":{}}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { host: `http://127.0.0.1:${port}`, keys, close: () => server.close() };
}

const list = (page: Page) => page.getByRole("table", { name: "Destinations" });
const row = (page: Page, name: string) => list(page).getByRole("row").filter({ hasText: name });

test.describe.configure({ mode: "serial" });

test("an admin adds a PostHog destination in staging (its key kept in the vault), sees it listed and tests its connection", async ({
  browser,
}) => {
  const posthog = await fakePostHog();
  const { page, context } = await asUser(browser, "admin@demo.test");
  try {
    await page.goto(`/o/${ORG}`);
    await navigate(page, "Destinations");
    await expect(page.getByRole("heading", { level: 1, name: "Destinations" })).toBeVisible();
    await page.getByRole("link", { name: "New destination" }).click();
    const form = page.getByRole("form", { name: "Add destination" });
    await form.getByLabel("Type").selectOption({ label: "PostHog" });
    await form.getByLabel("Environment").selectOption("staging");
    await form.getByLabel("Name", { exact: true }).fill(NAME);
    // A key-like field is a write-only password input, named with the variable it is kept in.
    const key = form.getByLabel("Project API key", { exact: true });
    await expect(key).toHaveAttribute("type", "password");
    await expect(form.getByLabel("Variable for the Project API key")).toHaveValue("POSTHOG_API_KEY");
    await key.fill(KEY);
    await form.getByRole("checkbox", { name: "measurement", exact: true }).check();
    await form.getByRole("checkbox", { name: /^Enabled/ }).check();
    // A host that is not a web address: told at the field, nothing added, nothing typed lost.
    await form.getByLabel("Host (optional)").fill("ftp://eu.posthog.example");
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(
      form.getByRole("alert").filter({ hasText: "Host must be an https:// address" }),
    ).toBeVisible();
    await form.getByLabel("Host (optional)").fill(posthog.host);
    await form.getByRole("button", { name: "Add destination" }).click();

    await expect(page).toHaveURL(new RegExp(`/o/${ORG}/destinations$`));
    const listed = row(page, NAME);
    await expect(listed).toContainText("PostHog");
    await expect(listed).toContainText("staging");
    await expect(listed).toContainText("measurement");
    await expect(listed).toContainText("enabled");
    await expect(listed).toContainText("not tested");

    await listed.getByRole("button", { name: `Test connection of ${NAME}` }).click();
    await expect(listed.getByRole("status")).toHaveText("Connected.");
    await expect(listed).toContainText("connected");
    await expect(listed).toContainText(/tested \d/);
    // The provider got the key from the vault; the page never shows it.
    expect(posthog.keys).toEqual([KEY]);

    await listed.getByRole("link", { name: NAME }).click();
    await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
    await expect(page).toHaveTitle(`${NAME} · Destinations · Demo Weddings Ltd — Ringbearer`);
    const settings = page.getByRole("form", { name: `Settings of ${NAME}` });
    await expect(settings.getByText("set", { exact: true })).toBeVisible();
    await expect(settings.getByLabel("Project API key", { exact: true })).toHaveValue("");
    expect(await page.content()).not.toContain(KEY);
    await expectAccessible(page, "/destinations/[id]");
  } finally {
    posthog.close();
    await context.close();
  }
});

test("a viewer sees the destinations read-only, and why", async ({ browser }) => {
  const { page, context } = await asUser(browser, "viewer@demo.test");
  await page.goto(`/o/${ORG}/destinations`);
  await expect(row(page, NAME)).toContainText("connected");
  await expect(page.getByText(/Your role \(viewer\) cannot manage analytics destinations/)).toBeVisible();
  await expect(page.getByRole("link", { name: "New destination" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Test connection/ })).toHaveCount(0);
  await expect(list(page).getByRole("link", { name: NAME })).toHaveCount(0);
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

test("on a phone the list, a new destination's form and a destination's settings fit the screen", async ({
  browser,
}) => {
  const { page, context } = await onPhone(browser, "admin@demo.test");
  await page.goto(`/o/${ORG}/destinations`);
  await expect(row(page, NAME)).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  // The table scrolls inside its own region, never the page.
  await expect(page.getByRole("region", { name: "Destinations (table)" })).toBeVisible();
  await expectAccessible(page, "/destinations at 390px");

  await page.goto(`/o/${ORG}/destinations/new`);
  const form = page.getByRole("form", { name: "Add destination" });
  await form.getByLabel("Type").selectOption({ label: "Mixpanel" });
  await form.getByLabel("Environment").selectOption("production");
  // Production: a reason for the reviewer is asked for.
  await expect(form.getByLabel("Reason")).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page, "/destinations/new at 390px");

  await page.goto(`/o/${ORG}/destinations`);
  await row(page, NAME).getByRole("link", { name: NAME }).click();
  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await expectAccessible(page, "/destinations/[id] at 390px");
  await context.close();
});
