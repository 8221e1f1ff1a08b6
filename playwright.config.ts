import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
/**
 * Debian's Chromium: its headless shell where installed (.ci/run installs it), a quarter less CPU and time than
 * the full browser run headless on two cores, else the browser itself.
 */
const systemChromium = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((p) => existsSync(p));
/** A phone held upright (390×844, as an iPhone 13/14), with touch. */
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * End-to-end tests drive a real browser against `npm start` on a fresh embedded database (its own data
 * folder), exactly as a user would run it. Tests tagged @phone (each persona's main flow, the axe pass over
 * every page) run again at phone size after the desktop run; the axe walks (@walk) run at phone size only. The wedding-hours flows run last: they lock
 * production. Everything shares one database, so a flow that runs twice makes its own unique names.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        }
      : {},
  },
  projects: [
    // The axe walks over every page (@walk) run at phone size only: the flows check axe at desktop size.
    { name: "console", testIgnore: /wedding-hours/, grepInvert: /@walk/ },
    { name: "phone", use: phone, grep: /@phone/, testIgnore: /wedding-hours/, dependencies: ["console"] },
    { name: "wedding-hours", testMatch: /wedding-hours/, dependencies: ["phone"] },
    {
      name: "wedding-hours-phone",
      use: phone,
      testMatch: /wedding-hours/,
      grep: /@phone/,
      dependencies: ["wedding-hours"],
    },
  ],
  webServer: {
    command: "node e2e/server.mjs",
    url: `http://localhost:${port}/api/health`,
    timeout: 180_000,
    // `npm test` starts this server while the HTTP tests run (scripts/test.mts); anywhere else, a fresh one.
    reuseExistingServer: process.env.RINGBEARER_E2E_SERVER === "started",
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: { PORT: String(port), E2E_PG_PORT: process.env.E2E_PG_PORT ?? "54400" },
  },
});
