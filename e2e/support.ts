import { type Browser, expect, type Page, type TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "ringbearer-demo";
export const ORG = "demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}`));
}

export async function asUser(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

/**
 * The flows tagged @phone run twice on one database (desktop, then the phone projects): what they create is
 * named with this suffix ("" on desktop, "_PHONE" on a phone) so the second run does not meet the first's.
 */
export const runSuffix = (info: TestInfo) => (info.project.use.isMobile ? "_PHONE" : "");

/** On a phone the navigation sits behind the Menu button: open it (nothing to do on a wider screen). */
export async function openMenu(page: Page) {
  const menu = page.getByRole("button", { name: /^Menu/ });
  if ((await menu.isVisible()) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
}

/** Follows one of the console's navigation links, through the menu on a phone. */
export async function navigate(page: Page, label: string) {
  await openMenu(page);
  await page
    .getByRole("navigation", { name: "Console" })
    .getByRole("link", { name: label, exact: true })
    .click();
}

export async function openVariable(page: Page, name: string) {
  await page.goto(`/o/${ORG}/variables?q=${encodeURIComponent(name)}`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

export const valueRow = (page: Page, env: string) => page.getByRole("listitem", { name: `${env} value` });

/** "YYYY-MM-DDTHH:MM" for an instant in a time zone, as a datetime-local input takes it. */
export function localInput(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return parts.replace(" ", "T");
}

/**
 * Captures the next server-action POST a page makes, so a test can replay it as someone else. The replay keeps
 * the console's own Origin, as the browser sent it: the proxy refuses an action POST without it.
 */
export function captureAction(page: Page) {
  return page
    .waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]))
    .then((r) => ({
      url: r.url(),
      headers: {
        "next-action": r.headers()["next-action"],
        "content-type": r.headers()["content-type"] ?? "",
        accept: "text/x-component",
        origin: new URL(r.url()).origin,
      },
      body: r.postDataBuffer() ?? Buffer.alloc(0),
    }));
}
