import { type APIResponse, expect, type Page, test } from "@playwright/test";
import { asSuperuser } from "./db";
import { ORG, openVariable, signIn, valueRow } from "./support";

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

function expectCommonHeaders(res: APIResponse, referrer = "same-origin") {
  const h = res.headers();
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe(referrer);
  expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  const permissions = h["permissions-policy"] ?? "";
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"])
    expect(permissions).toContain(`${feature}=()`);
  // Plain http: a browser must never be told to insist on https for this host.
  expect(h["strict-transport-security"]).toBeUndefined();
}

function expectPageCsp(res: APIResponse) {
  const csp = directives(res.headers()["content-security-policy"]);
  const nonce = nonceOf(res.headers()["content-security-policy"]);
  expect(nonce).toMatch(/^[A-Za-z0-9+/=]{22,}$/);
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("script-src")).toEqual(expect.arrayContaining([`'nonce-${nonce}'`, "'strict-dynamic'"]));
  expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
  expect(csp.get("style-src")).not.toContain("'unsafe-inline'");
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.get("form-action")).toEqual(["'self'"]);
  expect(csp.get("connect-src")).toEqual(["'self'"]);
  expect(csp.get("img-src")).toEqual(["'self'", "data:"]);
  return nonce as string;
}

function expectApiCsp(res: APIResponse) {
  expect(res.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
}

test("pages and API answers carry the security headers, and no HSTS over plain http", async ({ page }) => {
  // Signed out: the login page, the invitation page (no referrer: its URL holds the token) and an API route.
  const login = await page.request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(login.status()).toBe(200);
  expectCommonHeaders(login);
  expectPageCsp(login);

  const invite = await page.request.get("/invite/not-a-real-token");
  expect(invite.status()).toBe(200);
  expectCommonHeaders(invite, "no-referrer");
  expectPageCsp(invite);

  const health = await page.request.get("/api/health");
  expectCommonHeaders(health);
  expectApiCsp(health);
  const refused = await page.request.get(`/api/o/${ORG}/matrix`);
  expect(refused.status()).toBe(401);
  expectCommonHeaders(refused);
  expectApiCsp(refused);

  // The console's redirect to sign in is kept, with the headers.
  const anonymous = await page.request.get(`/o/${ORG}/variables`, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(307);
  expect(anonymous.headers().location).toContain("/login?callbackUrl=%2Fo%2Fdemo%2Fvariables");
  expectCommonHeaders(anonymous);

  await signIn(page, "viewer@demo.test");
  const consolePage = await page.request.get(`/o/${ORG}/variables`);
  expect(consolePage.status()).toBe(200);
  expect(await consolePage.text()).toContain("FEATURE_NEW_BOOKING_FLOW");
  expectCommonHeaders(consolePage);
  expectPageCsp(consolePage);

  const activity = await page.request.get(`/api/o/${ORG}/audit/activity`);
  expectCommonHeaders(activity);
  expectApiCsp(activity);
});

test("Next's scripts carry the nonce of their own response, new on every request", async ({ request }) => {
  const nonces: string[] = [];
  for (const path of ["/login", "/login", "/invite/not-a-real-token"]) {
    const res = await request.get(path);
    const nonce = expectPageCsp(res);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(1);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    for (const tag of html.match(/<style\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    nonces.push(nonce);
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});

/** Collects CSP violations (the DOM event and Chrome's own console errors) and header errors of a page. */
async function watchViolations(page: Page) {
  const seen: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`),
    );
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy|Refused to|Permissions-Policy|Permissions policy/i.test(text))
      seen.push(text);
  });
  return seen;
}

const PROBE_USER = "dev@demo.test";

test.afterAll(async () => {
  // The walk below starts two-factor enrolment (for the QR code); leave the user without a second factor.
  await asSuperuser(
    (sql) =>
      sql`update users set totp_secret = null, totp_enabled_at = null, totp_last_step = null where email = ${PROBE_USER}`,
  );
});

test("signing in and using the console breaks no rule of the policy", async ({ page }) => {
  const violations = await watchViolations(page);
  await signIn(page, PROBE_USER);
  // Dashboard (drift sparklines, live events over SSE).
  await expect(page.getByRole("img", { name: /development drift/ })).toBeVisible();
  // A variable: reveal a value (client-side code must run to show it).
  await openVariable(page, "NEXT_PUBLIC_POSTHOG_KEY");
  await valueRow(page, "development").getByRole("button", { name: "Reveal development value" }).click();
  await expect(page.getByTestId("revealed-development")).toHaveText("phc_dev_demo");
  // The virtualized matrix (positioned by inline styles).
  await page.getByRole("link", { name: "Matrix", exact: true }).click();
  await expect(page.getByRole("grid", { name: "Environment matrix" })).toBeVisible();
  await expect(
    page.getByRole("gridcell", { name: /^NEXT_PUBLIC_POSTHOG_KEY in development:/ }),
  ).toBeVisible();
  // Two-factor enrolment: the QR code is a data: image.
  await page.getByRole("link", { name: "Account & sessions" }).click();
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const qr = section.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
});

test("the audit chart draws under the policy", async ({ page }) => {
  const violations = await watchViolations(page);
  await signIn(page, "admin@demo.test");
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  const chart = page.getByRole("figure", { name: "Activity over time by action" });
  await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
});

type Captured = { url: string; headers: Record<string, string>; body: Buffer };

/**
 * Holds back the page's next server-action POST (it never reaches the server) so a test can replay it; later
 * requests go through.
 */
async function interceptAction(
  page: Page,
): Promise<{ captured: Promise<Captured>; stop: () => Promise<void> }> {
  const consolePaths = (url: URL) => url.pathname.startsWith(`/o/${ORG}/`);
  let resolve!: (c: Captured) => void;
  let done = false;
  const captured = new Promise<Captured>((r) => {
    resolve = r;
  });
  await page.route(consolePaths, async (route) => {
    const r = route.request();
    if (done || r.method() !== "POST" || !r.headers()["next-action"]) return route.fallback();
    done = true;
    resolve({
      url: r.url(),
      headers: {
        "next-action": r.headers()["next-action"],
        "content-type": r.headers()["content-type"] ?? "",
        accept: "text/x-component",
      },
      body: r.postDataBuffer() ?? Buffer.alloc(0),
    });
    await route.abort();
  });
  return { captured, stop: () => page.unroute(consolePaths) };
}

const PROBE = "ZZ_HEADERS_CSRF_PROBE";
const probeRows = () =>
  asSuperuser(async (sql) => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from environment_variables where name = ${PROBE}`;
    return row.n;
  });

async function expectForbidden(res: APIResponse) {
  expect(res.status()).toBe(403);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("forbidden");
  expect(body.error.message).toMatch(/origin/i);
}

test("a server action from another origin is refused with 403 and changes nothing", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  await page.goto(`/o/${ORG}/variables/new`);
  await page.getByLabel("Name", { exact: true }).fill(PROBE);
  await page.getByLabel("Classification").selectOption("internal");
  const intercept = await interceptAction(page);
  await page.getByRole("button", { name: "Create variable" }).click();
  const action = await intercept.captured;
  await intercept.stop();
  const own = new URL(action.url);
  const replay = (headers: Record<string, string>) =>
    page.request.post(action.url, {
      headers: { ...action.headers, ...headers },
      data: action.body,
      maxRedirects: 0,
    });

  // Another site's page posting with the admin's cookies.
  await expectForbidden(await replay({ origin: "https://evil.example" }));
  // …also when it claims, through X-Forwarded-Host, that the console lives on its host (no proxy is trusted).
  await expectForbidden(await replay({ origin: "https://evil.example", "x-forwarded-host": "evil.example" }));
  // A sandboxed or no-referrer context (Origin: null), and no Origin at all.
  await expectForbidden(await replay({ origin: "null" }));
  await expectForbidden(await replay({}));
  // The same host on another port is another origin.
  await expectForbidden(await replay({ origin: `${own.protocol}//${own.hostname}:1` }));
  expect(await probeRows()).toBe(0);

  // The identical request from the console's own origin does what it says — even with a stray
  // X-Forwarded-Host, which is pinned to Host before Next compares it (no 500 from Next's own check).
  const accepted = await replay({ origin: own.origin, "x-forwarded-host": "evil.example" });
  expect(accepted.status()).toBeLessThan(400);
  await expect.poll(probeRows).toBe(1);

  // Leave the demo as other specs expect it (the matrix counts what production lacks).
  await openVariable(page, PROBE);
  await page.getByRole("button", { name: "Delete variable" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${ORG}/variables$`));
});
