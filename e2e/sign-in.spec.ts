import { type APIRequestContext, expect, test } from "@playwright/test";
import { DEMO_PASSWORD, ORG } from "./support";

/** next-auth's script contract: GET /api/auth/csrf, then POST /api/auth/callback/credentials (JSON answer). */
async function signInByScript(
  request: APIRequestContext,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, json: "true", ...fields },
    headers,
    maxRedirects: 0,
  });
  const body = await response.text();
  const url = new URL((JSON.parse(body) as { url: string }).url);
  return { status: response.status(), body, url, error: url.searchParams.get("error") };
}

const noDriverText = (text: string) => {
  expect(text).not.toMatch(/select|insert|params|failed query|users|postgres|syntax|byte sequence|0x00/i);
};

test("signing in with a callbackUrl that names another origin lands on ours", async ({ page, baseURL }) => {
  for (const spelling of ["/.//evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${encodeURIComponent(spelling)}`);
    await page.getByLabel("Email").fill("viewer@demo.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
    expect(new URL(page.url()).origin).toBe(new URL(baseURL ?? "").origin);
    await expect(page).toHaveURL(new RegExp(`/o/${ORG}`));
  }
});

test("a script's sign-in with another origin as callbackUrl is sent back to our origin", async ({
  request,
  baseURL,
}) => {
  for (const spelling of ["/.//evil.example", "//evil.example", "https://evil.example/x"]) {
    const { url } = await signInByScript(request, {
      email: "viewer@demo.test",
      password: DEMO_PASSWORD,
      callbackUrl: spelling,
    });
    expect(url.origin).toBe(new URL(baseURL ?? "").origin);
    expect(url.pathname.startsWith("//")).toBe(false);
  }
});

test("malformed sign-in input answers a code, never the database's words", async ({ request }) => {
  for (const email of ["a\u0000b@demo.test", "x".repeat(400), "\ud800@demo.test"]) {
    const answer = await signInByScript(request, { email, password: "whatever it is" });
    expect(answer.status).toBeLessThan(500);
    expect(answer.error).toBe("invalid");
    noDriverText(answer.body);
  }
  const nulPassword = await signInByScript(request, { email: "viewer@demo.test", password: "a\u0000b" });
  expect(nulPassword.error).toBe("invalid");
  noDriverText(nulPassword.body);
});

test("a client-supplied X-Forwarded-For is not taken for the client's address", async ({ request }) => {
  // Signed in with a forged address: the session list shows where the request really came from.
  const forged = "198.51.100.77";
  const signedIn = await signInByScript(
    request,
    { email: "oncall@demo.test", password: DEMO_PASSWORD },
    { "x-forwarded-for": forged, "x-real-ip": forged, forwarded: `for=${forged}` },
  );
  expect(signedIn.error).toBeNull();
  const account = await (await request.get(`/o/${ORG}/account`)).text();
  expect(account).toContain("oncall@demo.test");
  expect(account).not.toContain(forged);
});
