/**
 * What a console page costs the database (issue 13, "Pages"), measured on the production build as a signed-in
 * browser loads it: a second server of the build connects through a relay that counts the transactions its
 * pool finishes (pg-counter.ts), so each figure is everything one page view asks of PostgreSQL — the session
 * check, the layout and the page. Before the page's reads shared a transaction (db/context.ts withReads), the
 * drift page alone took 9 and the layout 4. Also: the variables list pages instead of stopping at 500 rows.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, PASSWORD, type TestOrg } from "../db/support";
import { type AppServer, startApp } from "./app-server";
import { type PgCounter, startPgCounter } from "./pg-counter";
import { HttpSession } from "./session";

/**
 * Each console page, with the most transactions one view of it may take: three to check the session (the
 * session row, the membership, a live break-glass session), one for the layout, and the page's own.
 */
const SESSION_AND_LAYOUT = 4;
const PAGES: [string, (p: Params) => string, number][] = [
  ["dashboard", (p) => `/o/${p.org}`, 1],
  ["variables", (p) => `/o/${p.org}/variables`, 1],
  ["variables/new", (p) => `/o/${p.org}/variables/new`, 1],
  // Their titles (generateMetadata) read the variable or environment in a transaction of their own.
  ["variables/[id]", (p) => `/o/${p.org}/variables/${p.variable}`, 2],
  ["matrix", (p) => `/o/${p.org}/matrix`, 1],
  ["compare", (p) => `/o/${p.org}/compare`, 2],
  ["drift", (p) => `/o/${p.org}/drift`, 1],
  ["environments", (p) => `/o/${p.org}/environments`, 1],
  ["environments/[id]", (p) => `/o/${p.org}/environments/${p.environment}`, 1],
  ["environments/[id]/dotenv", (p) => `/o/${p.org}/environments/${p.environment}/dotenv`, 2],
  ["approvals", (p) => `/o/${p.org}/approvals`, 1],
  ["access", (p) => `/o/${p.org}/access`, 1],
  ["audit", (p) => `/o/${p.org}/audit`, 1],
  ["emergency", (p) => `/o/${p.org}/emergency`, 1],
  ["settings", (p) => `/o/${p.org}/settings`, 1],
  ["account", (p) => `/o/${p.org}/account`, 2],
];

type Params = { org: string; variable: string; environment: string };

let relay: PgCounter;
let app: AppServer;
let org: TestOrg;
let admin: HttpSession;
let params: Params;
const figures: Record<string, number> = {};

beforeAll(async () => {
  const database = new URL(inject("databaseUrl"));
  relay = await startPgCounter({ host: database.hostname, port: Number(database.port || 5432) });
  const viaRelay = new URL(database);
  viaRelay.hostname = "127.0.0.1";
  viaRelay.port = String(relay.port);
  app = await startApp({ ...inject("appEnv"), DATABASE_URL: viaRelay.toString() });
  org = await makeOrg();
  const variable = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name: "STRIPE_SECRET_KEY",
      variableType: "api_key",
      securityClassification: "confidential",
      isRequired: true,
      isWeddingCritical: false,
      tags: ["payments"],
    }),
  );
  await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: variable.id,
      environmentId: org.env.staging,
      value: "sk_test_pages",
      expectedVersion: 0,
    }),
  );
  const member = await org.member("admin");
  admin = await HttpSession.signIn(member.email, PASSWORD, {}, app.url);
  params = { org: org.slug, variable: variable.id, environment: org.env.development };
}, 180_000);

afterAll(async () => {
  // The figures, for the record (docs and the change's description quote them).
  console.info(
    Object.entries(figures)
      .map(([page, n]) => `${page}: ${n}`)
      .join("\n"),
  );
  await app?.stop();
  await relay?.close();
});

/** Waits until the pool has finished no transaction for 150 ms (a response can end before its last COMMIT). */
async function settled() {
  let last = relay.finished("ringbearer");
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const now = relay.finished("ringbearer");
    if (now === last) return now;
    last = now;
  }
}

/**
 * The transactions one view of `path` takes: the fewer of two views, since the server's background jobs
 * (a scheduled scan's look for due targets each minute) share the pool and can only add to a view's count.
 */
async function transactionsOf(session: HttpSession, path: string) {
  const views: number[] = [];
  for (let i = 0; i < 2; i++) {
    const before = await settled();
    const answer = await session.request(path);
    if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
    views.push((await settled()) - before);
  }
  return Math.min(...views);
}

describe("a console page view", () => {
  it("counts what it measures: a page that reads nothing more costs the session and layout only", async () => {
    // The relay sees the pool at all (a broken relay would count 0 and pass every budget below).
    expect(await transactionsOf(admin, `/o/${org.slug}/variables/new`)).toBeGreaterThanOrEqual(2);
  });

  it.each(PAGES)("%s takes at most its transactions", async (name, path, most) => {
    const n = await transactionsOf(admin, path(params));
    figures[name] = n;
    expect(n).toBeLessThanOrEqual(SESSION_AND_LAYOUT + most);
  });
});

describe("the variables list", () => {
  it("pages through more than 500 variables, saying which rows it shows", async () => {
    const big = await makeOrg();
    // 650 variables in one statement (BULK_0001…BULK_0650): the list used to stop at 500 without a word.
    await withContext(big.owner, (tx) =>
      tx.execute(sql`insert into environment_variables
          (organization_id, name, variable_type, security_classification, created_by)
        select ${big.id}, 'BULK_' || lpad(n::text, 4, '0'), 'configuration', 'internal', ${big.owner.userId}
        from generate_series(1, 650) n`),
    );
    const member = await big.member("admin");
    const reader = await HttpSession.signIn(member.email, PASSWORD, {}, app.url);
    const page = async (query: Record<string, string>) => {
      const answer = await reader.request(`/o/${big.slug}/variables?${new URLSearchParams(query)}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    /** The page says which rows it shows, and holds the first and last of them and nothing either side. */
    const expectRows = (text: string, showing: string, shown: string[], notShown: string[]) => {
      expect(text.includes(showing), `says "${showing}"`).toBe(true);
      for (const name of shown) expect(text.includes(name), `shows ${name}`).toBe(true);
      for (const name of notShown) expect(text.includes(name), `does not show ${name}`).toBe(false);
    };
    expectRows(await page({}), "Showing 1–100 of 650 variables", ["BULK_0001", "BULK_0100"], ["BULK_0101"]);
    // The 501st and beyond, which the list used to drop.
    expectRows(
      await page({ page: "6" }),
      "Showing 501–600 of 650 variables",
      ["BULK_0501", "BULK_0600"],
      ["BULK_0500", "BULK_0601"],
    );
    // The last page, also for a page number past the end (an old link after deletions).
    for (const last of ["7", "99"])
      expectRows(
        await page({ page: last }),
        "Showing 601–650 of 650 variables",
        ["BULK_0650"],
        ["BULK_0600"],
      );
    // Filters and paging together: BULK_0500…BULK_0599.
    expectRows(
      await page({ q: "BULK_05", page: "1" }),
      "Showing 1–100 of 100 variables",
      ["BULK_0500", "BULK_0599"],
      ["BULK_0499", "BULK_0600"],
    );
  });
});
