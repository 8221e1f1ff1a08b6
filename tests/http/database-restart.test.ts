/**
 * The database stops and starts under a running app, with traffic (issue 12, findings 1 and 2). Its own
 * embedded PostgreSQL and its own production server, so stopping them does not disturb the other http tests.
 *
 * While the database is down: /api/health is 503, a signed-in user's page says the database is unavailable
 * (not the sign-in page, and the session cookie is kept), an API call and a server action answer
 * `unavailable:database`. After it starts again: pages, an API call, /api/health and a fresh sign-in all work
 * within 15 s, and every request made in the minute after that succeeds.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ThrowawayDatabase, throwawayDatabase } from "@/scripts/throwaway-db.mts";
import { callAction, listActions } from "./actions";
import { type AppServer, startApp } from "./app-server";
import { type Answer, HttpSession } from "./session";

const PASSWORD = "ringbearer-demo";
const DOWN_MS = 6_000;
const RECOVER_WITHIN_MS = 15_000;
const HOLD_MS = 60_000;

type Probe = { name: string; at: number; ms: number; ok: boolean; detail: string };

const json = (a: Answer): unknown => {
  try {
    return JSON.parse(a.body);
  } catch {
    return a.body.slice(0, 160);
  }
};
const summary = (a: Answer) =>
  `${a.status} ${a.headers.get("location") ?? ""} ${a.body.slice(0, 160)}`.trim();

describe("the database restarts under a running app", () => {
  let db: ThrowawayDatabase;
  let app: AppServer;

  beforeAll(async () => {
    const masterKey = randomBytes(32).toString("base64");
    // Always an embedded server of its own (never TEST_DATABASE_ADMIN_URL): this test stops it.
    db = await throwawayDatabase({ prefix: "rb_restart", masterKey });
    const env = {
      DATABASE_URL: db.databaseUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      RINGBEARER_MASTER_KEY: masterKey,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      RINGBEARER_SEED_WEDDING_WINDOW: "false",
    };
    const seed = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db.mts", "seed"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    if (seed.status !== 0) throw new Error(`Seeding the demo failed:\n${seed.stdout}\n${seed.stderr}`);
    app = await startApp(env);
  });

  afterAll(async () => {
    if (process.env.RESTART_DEBUG_LOG)
      (await import("node:fs")).writeFileSync(process.env.RESTART_DEBUG_LOG, app?.output() ?? "");
    await app?.stop();
    await db?.drop();
  });

  it("says the database is unavailable while it is down, and recovers within 15 s for good", async () => {
    const server = db.server;
    if (!server) throw new Error("the restart test needs its own embedded PostgreSQL");
    const base = app.url;
    const admin = await HttpSession.signIn("admin@demo.test", PASSWORD, {}, base);
    const anonymous = HttpSession.anonymous(base);
    const verifyAudit = listActions().find((a) => a.exportedName === "verifyAuditAction");
    if (!verifyAudit) throw new Error("no verifyAuditAction in the build");

    const log: Probe[] = [];
    const probe = async (name: string, check: () => Promise<string | true>) => {
      const at = Date.now();
      let outcome: string | true;
      try {
        outcome = await check();
      } catch (error) {
        outcome = `threw ${error instanceof Error ? error.message : String(error)}`;
      }
      const entry = {
        name,
        at,
        ms: Date.now() - at,
        ok: outcome === true,
        detail: outcome === true ? "" : outcome,
      };
      log.push(entry);
      return entry;
    };
    // What a signed-in user and a monitor do; each is true when it worked as it should with a live database.
    const page = () =>
      probe("page", async () => {
        const a = await admin.request("/o/demo/variables");
        return (a.status === 200 && a.body.includes("RESEND_API_KEY")) || summary(a);
      });
    const api = () =>
      probe("api", async () => {
        const a = await admin.request("/api/o/demo/audit/activity");
        return (a.status === 200 && a.body.includes('"points"')) || summary(a);
      });
    const health = () =>
      probe("health", async () => {
        const a = await anonymous.request("/api/health");
        return a.status === 200 || summary(a);
      });
    const signIn = () =>
      probe("sign-in", async () => {
        await HttpSession.signIn("viewer@demo.test", PASSWORD, {}, base);
        return true;
      });

    // Traffic from the start to the end: three clients reading pages and the API, one monitor.
    let traffic = true;
    const loop = async (step: () => Promise<Probe>) => {
      while (traffic) {
        await step();
        // A steady trickle, not a load test: it runs beside the end-to-end tests on the same cores.
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const clients = [loop(page), loop(api), loop(page), loop(health)];
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      expect(log.filter((p) => !p.ok).map((p) => `${p.name}: ${p.detail}`)).toEqual([]);

      // Down.
      await server.stop();
      const stoppedAt = Date.now();

      const down = {
        health: await anonymous.request("/api/health"),
        page: await admin.request("/o/demo/variables"),
        api: await admin.request("/api/o/demo/audit/activity"),
        action: await callAction(admin, verifyAudit, ["demo", null, new FormData()], {
          params: { org: "demo" },
        }),
      };
      expect.soft(down.health.status, summary(down.health)).toBe(503);
      expect.soft(json(down.health)).toMatchObject({ database: "unavailable" });
      // (soft: every way the outage is misreported shows at once) The signed-in user is told what is wrong, is not sent to the sign-in page, and stays signed in.
      expect.soft(down.page.status, summary(down.page)).toBe(503);
      expect.soft(down.page.body).toMatch(/Database unavailable/i);
      expect.soft(down.page.body).toMatch(/retrying/i);
      expect.soft(admin.cookieHeader()).toMatch(/next-auth\.session-token=/);
      expect.soft(down.api.status, summary(down.api)).toBe(503);
      expect.soft(json(down.api)).toMatchObject({ error: { code: "unavailable:database" } });
      expect.soft(down.action.result, summary(down.action)).toMatchObject({
        ok: false,
        error: { code: "unavailable:database" },
      });

      // Stays down a while under traffic (the pool's connections fail and retry), then starts again.
      await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (Date.now() - stoppedAt))));
      await server.start();
      const startedAt = Date.now();

      // Recovery: a round of page + API + health (+ a fresh sign-in) until every part of one round works.
      let recoveredAt: number | undefined;
      while (Date.now() - startedAt < RECOVER_WITHIN_MS) {
        const round = await Promise.all([page(), api(), health(), signIn()]);
        if (round.every((p) => p.ok)) {
          recoveredAt = Date.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const failuresSince = (t: number) =>
        log
          .filter((p) => p.at >= t && !p.ok)
          .map((p) => `+${((p.at - startedAt) / 1000).toFixed(1)}s ${p.name} (${p.ms} ms): ${p.detail}`);
      // The server's warnings and errors logged since `t` (JSON lines of pino), for a failure's message.
      const serverSaid = (t: number) =>
        app
          .output()
          .split("\n")
          .filter((line) => {
            const m = /"level":(\d+),"time":(\d+)/.exec(line);
            // Next's own error lines are not JSON and carry no time: all of them.
            return m === null
              ? line.trim() !== "" && !/^(✓|\[ringbearer\])/.test(line)
              : Number(m[1]) >= 40 && Number(m[2]) >= t;
          })
          .map((line) => line.slice(0, 400));
      expect(
        recoveredAt,
        `not recovered within ${RECOVER_WITHIN_MS / 1000} s of the database starting:\n${failuresSince(startedAt).slice(-12).join("\n")}`,
      ).toBeDefined();
      console.log(
        `[restart] recovered ${((recoveredAt as number) - startedAt) / 1000} s after the database started`,
      );

      // Holds: a minute of traffic (and a sign-in every few seconds) with no failure at all.
      const holdFrom = recoveredAt as number;
      while (Date.now() - holdFrom < HOLD_MS) {
        await Promise.all([signIn(), page(), api()]);
        await new Promise((r) => setTimeout(r, 2_000));
      }
      traffic = false;
      await Promise.all(clients);
      const served = log.filter((p) => p.at >= holdFrom).length;
      // What the server logged of the driver, for a failure's message.
      const codes =
        app.output().match(/CONNECT_TIMEOUT|CONNECTION_(?:CLOSED|ENDED|DESTROYED)|ECONNREFUSED|57P0\d/g) ??
        [];
      const tally = new Map<string, number>();
      for (const c of codes) tally.set(c, (tally.get(c) ?? 0) + 1);
      const counts = [...tally].map(([c, n]) => `${c}×${n}`);
      console.log(
        `[restart] ${served} requests in the minute after recovery; driver errors logged: ${counts.join(", ") || "none"}`,
      );
      expect(
        failuresSince(holdFrom),
        `of ${served} requests after recovery (${counts.join(", ")}); the server said:\n${serverSaid(holdFrom).slice(0, 20).join("\n")}`,
      ).toEqual([]);
      expect(served).toBeGreaterThan(100);
    } finally {
      traffic = false;
      await Promise.all(clients);
    }
  }, 180_000);
});
