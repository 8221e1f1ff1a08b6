/**
 * Malformed input to every server action and every API route of the build, as an admin of the demo
 * organization and signed out. Fails on any status ≥ 500, an `internal` error, a stack trace or driver text
 * in an answer, and any change of a table's row count after a refused request. Actions and routes come from
 * the build's manifests, so a new one is fuzzed without editing this file.
 *
 * Speed: each action's (or route's) requests run a few at a time between two row counts; only if the
 * counts moved are the refused ones replayed one by one, counting around each, to name the culprit.
 */
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT_BYTES } from "@/lib/limits";
import { rawSql } from "../db/support";
import {
  type ActionAnswer,
  type ActionEntry,
  callAction,
  fillPath,
  listActions,
  type PathParams,
} from "./actions";
import { changedCounts, leakIn, rowCounter } from "./checks";
import { argumentCases, BAD_STRINGS, rawBodies } from "./fuzz-inputs";
import { listPages, listRoutes, routeMethods, routePath } from "./routes";
import { HttpSession } from "./session";

const ORG = "demo";
const OVERSIZED = new Uint8Array(ACTION_BODY_LIMIT_BYTES + 1).fill(0x61);
/** Requests in flight at once (the server and the database share two cores with the test). */
const CONCURRENCY = 4;

let superSql: postgres.Sql;
let counts: () => Promise<Record<string, number>>;
let admin: HttpSession;
let anonymous: HttpSession;
let params: PathParams;

beforeAll(async () => {
  superSql = rawSql("super");
  counts = await rowCounter(superSql);
  admin = await HttpSession.signIn("admin@demo.test", "ringbearer-demo");
  anonymous = HttpSession.anonymous();
  const [env] = await superSql<{ id: string }[]>`
    select e.id from environments e join organizations o on o.id = e.organization_id
    where o.slug = ${ORG} and e.name = 'development'`;
  params = { org: ORG, id: env.id, token: "A".repeat(43), name: "staging", key: "SOME_KEY" };
});

afterAll(async () => {
  await superSql.end({ timeout: 5 });
});

type Probe = { label: string; send: () => Promise<ActionAnswer> };

/** What is wrong with one answer, and whether the request was refused (so it must have written nothing). */
function judge(label: string, answer: ActionAnswer): { problems: string[]; refused: boolean } {
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${label}: ${what}`);
  if (answer.status >= 500) say(`status ${answer.status} ${answer.body.slice(0, 200)}`);
  // A page streams behind its loading.tsx: an error thrown after the skeleton was sent cannot change the
  // status (200) and travels as a digest for the error boundary instead (notFound/redirect are NEXT_…).
  const streamed = /data-dgst="(?!NEXT_)([^"]*)"/.exec(answer.body);
  if (streamed) say(`a streamed server error (digest ${streamed[1]})`);
  // A download or machine API read that succeeded holds the organization's data ("postgres" in a DATABASE_URL).
  const data =
    answer.status < 300 &&
    (/attachment/.test(answer.headers.get("content-disposition") ?? "") || label.includes(" /api/v1/"));
  const leak = leakIn(`${answer.headers.get("location") ?? ""}\n${data ? "" : answer.body}`);
  if (leak) say(`leaks ${leak}`);
  if (answer.thrown !== undefined) say(`the action threw: ${String(answer.thrown)}`);
  const result = answer.result as { ok?: boolean; error?: { code?: string } } | undefined;
  if (result?.ok === false && result.error?.code === "internal") say("answered `internal`");
  // An action refuses with `{ ok: false }` (status 200) or never runs (4xx, a redirect); a route by status.
  const isAction = "result" in answer || "thrown" in answer;
  return { problems, refused: answer.status >= 300 || (isAction && result?.ok !== true) };
}

async function inParallel<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs the probes and returns every problem found (empty when all is well). */
async function runProbes(probes: Probe[]): Promise<string[]> {
  const before = await counts();
  const answers = await inParallel(probes, CONCURRENCY, (p) =>
    p.send().catch((error: unknown) => {
      throw new Error(`${p.label}: the request failed: ${String(error)}`);
    }),
  );
  const after = await counts();
  const problems: string[] = [];
  const refused: Probe[] = [];
  answers.forEach((answer, i) => {
    const verdict = judge(probes[i].label, answer);
    problems.push(...verdict.problems);
    if (verdict.refused) refused.push(probes[i]);
  });
  if (changedCounts(before, after).length > 0)
    for (const probe of refused) {
      const b = await counts();
      const again = await probe.send();
      const changed = changedCounts(b, await counts());
      if (judge(probe.label, again).refused && changed.length > 0)
        problems.push(`${probe.label}: refused, yet rows changed: ${changed.join(", ")}`);
    }
  return problems;
}

const report = (problems: string[]) =>
  expect(problems.slice(0, 40), `${problems.length} problem(s)`).toEqual([]);

/**
 * The requests for one action: bad arguments, bodies no browser sends, a body over the limit. The proxy
 * refuses malformed bodies before the action's id matters, so each action gets half of them in turn (all
 * of them across two actions), plus the two that name the action (forms posted without JavaScript).
 */
function actionProbes(action: ActionEntry, index: number): Probe[] {
  const call = (session: HttpSession, args: unknown[], extra = {}) =>
    callAction(session, action, args, { params, ...extra });
  const text = "text/plain;charset=UTF-8";
  const cases = argumentCases(ORG);
  return [
    ...cases.map((c) => ({ label: `admin, ${c.label}`, send: () => call(admin, c.args) })),
    ...rawBodies(ORG, action.id)
      .filter((raw, i) => raw.headers || i % 2 === index % 2)
      .map((raw) => ({
        label: `admin, raw ${raw.label}`,
        send: () =>
          call(admin, [], { raw: { body: raw.body, contentType: raw.contentType }, headers: raw.headers }),
      })),
    {
      label: "admin, a body over the limit",
      send: () => call(admin, [], { raw: { body: OVERSIZED, contentType: text } }),
    },
    {
      label: "admin, posted to another page",
      send: () => call(admin, [ORG, null, new FormData()], { path: "/login" }),
    },
    ...cases
      .filter((_c, i) => i % 12 === 0)
      .map((c) => ({ label: `signed out, ${c.label}`, send: () => call(anonymous, c.args) })),
    {
      label: "signed out, raw not JSON",
      send: () => call(anonymous, [], { raw: { body: "garbage", contentType: text } }),
    },
  ];
}

describe("fuzz: server actions", () => {
  const actions = listActions();

  it("every action has a page it can be posted to", () => {
    expect(
      actions.filter((a) => !a.page).map((a) => `${a.filename}#${a.exportedName}: ${a.problem}`),
    ).toEqual([]);
  });

  it.each(actions.map((a, i) => [`${a.filename.replace(/^app\//, "")}#${a.exportedName}`, a, i] as const))(
    "%s",
    async (_name, action, index) => {
      const problems = await runProbes(actionProbes(action, index));
      const who = JSON.parse((await admin.request("/api/auth/session")).body) as { user?: unknown };
      if (!who.user) problems.push("the admin's session ended: later probes would only test signing in");
      report(problems);
    },
  );
});

/** Query strings with malformed values: every known parameter at once, then the date filters alone. */
function queries(): string[] {
  const names = ["q", "type", "classification", "tag", "status", "offset", "limit", "user", "action"];
  names.push("resource", "variable", "environment", "risk", "emergency", "from", "to", "before", "format");
  names.push("org", "callbackUrl");
  const values = [
    "a%00b",
    "%ED%A0%80",
    "%FF%FE",
    "%E0%A4%A",
    "2025-02-31",
    "0000-01-01",
    "x".repeat(5000),
    "1e400",
  ];
  return [
    ...values.map((v) => names.map((n) => `${n}=${v}`).join("&")),
    ...values.slice(0, 4).map((v) => `${v}=${v}`),
    "format=json&from=2025-02-31",
    "format=csv&to=2025-13-01",
    "org=demo&from=2025-02-30",
    "callbackUrl=%2F%2Fevil.example",
    "a=1&a=2&a[]=3",
  ];
}

/** Bodies for routes that take one (next-auth): malformed fields and malformed bodies. */
function routeBodies(): { label: string; body: BodyInit; contentType: string }[] {
  const form = "application/x-www-form-urlencoded";
  const fields = (v: string) => ({ email: v, password: v, totp: v, csrfToken: v, callbackUrl: v });
  return [
    ...Object.entries(BAD_STRINGS).map(([label, v]) => ({
      label: `form: ${label}`,
      body: new URLSearchParams(fields(v)).toString(),
      contentType: form,
    })),
    { label: "invalid UTF-8", body: "email=%FF%FE&password=%E0%A4%A", contentType: form },
    { label: "JSON garbage", body: "{garbage", contentType: "application/json" },
    { label: "over the limit", body: new Blob([OVERSIZED]), contentType: form },
  ];
}

/** Paths: the real parameters with every query; malformed spellings of each parameter with a few. */
function pathVariants(template: string): { params: PathParams; queries: string[]; bodies: boolean }[] {
  const all = queries();
  const good = { ...params, nextauth: "session" };
  const bad = ["%00", "a%00b", "%FF", "%E0%A4%A", "%ED%A0%80", "x".repeat(300), "..%2F..", "%2e%2e"];
  const variants = [{ params: good, queries: all, bodies: true }];
  for (const name of ["org", "id"])
    if (template.includes(`[${name}]`))
      for (const b of bad) variants.push({ params: { ...good, [name]: b }, queries: [""], bodies: false });
  if (template.includes("[...nextauth]")) {
    variants.push({
      params: { ...good, nextauth: "callback/credentials" },
      queries: all.slice(0, 4),
      bodies: true,
    });
    for (const p of ["signin", "signout", "csrf", "providers", "error", "_log", "%00", "nope"])
      variants.push({ params: { ...good, nextauth: p }, queries: all.slice(0, 2), bodies: false });
  }
  return variants;
}

async function routeProbes(template: string): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const variant of pathVariants(template)) {
    const path = routePath({ template }, variant.params);
    const methods = await routeMethods(anonymous, path).catch(() => ["GET", "POST"]);
    for (const session of [admin, anonymous]) {
      const who = session === admin ? "admin" : "signed out";
      for (const method of methods) {
        for (const query of variant.queries)
          probes.push({
            label: `${who} ${method} ${path.slice(0, 80)}?${query.slice(0, 60)}`,
            send: () => session.request(query ? `${path}?${query}` : path, { method }),
          });
        if (method !== "GET" && variant.bodies)
          for (const b of routeBodies())
            probes.push({
              label: `${who} ${method} ${path} ${b.label}`,
              send: () =>
                session.request(path, { method, headers: { "content-type": b.contentType }, body: b.body }),
            });
      }
    }
  }
  return probes;
}

describe("fuzz: API routes", () => {
  it.each(listRoutes().map((r) => [r.template] as const))("%s", async (template) => {
    report(await runProbes(await routeProbes(template)));
  });
});

describe("fuzz: pages", () => {
  it("every page answers malformed search parameters without a 5xx or a leak", async () => {
    const names = [
      "q",
      "type",
      "tag",
      "status",
      "user",
      "env",
      "severity",
      "from",
      "to",
      "risk",
      "before",
      "callbackUrl",
      "page",
    ];
    const values = ["a%00b", "%ED%A0%80", "2025-02-31", "x".repeat(3000)];
    const probes: Probe[] = [];
    for (const template of listPages())
      for (const value of values) {
        const path = `${fillPath(template, params)}?${names.map((n) => `${n}=${value}`).join("&")}`;
        probes.push({ label: `admin GET ${path.slice(0, 120)}`, send: () => admin.request(path) });
      }
    report(await runProbes(probes));
  });
});
