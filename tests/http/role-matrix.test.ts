/**
 * The role matrix (review finding 6 and the issue's "Done when"): every server action of the build — listed
 * from its manifest, so a new one cannot be missed — is called over HTTP as each role of one organization
 * (admin, security reviewer, on-call, developer, viewer), as an admin of another organization and signed out,
 * each time with a fresh fixture. It succeeds exactly where role-matrix-cases.ts says the capabilities allow;
 * anywhere else it is refused with `forbidden` (`unauthorized` signed out) and no row of any table changes.
 * The API routes get the same treatment.
 */
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawSql } from "../db/support";
import { type ActionEntry, callAction, listActions } from "./actions";
import { BACKGROUND_TABLES, leakIn } from "./checks";
import { CASES, type Outcome, ROUTES } from "./role-matrix-cases";
import { CALLERS, type Caller, makeWorld, quiesce, signInAll, type World } from "./role-matrix-world";
import { listRoutes } from "./routes";

/** Tables whose rows change on every request whoever asks (session last-seen times, rate counters), or on the minute. */
const NOISY = new Set(["sessions", "rate_limits", ...BACKGROUND_TABLES]);

let superSql: postgres.Sql;
let world: World;
let digestQuery: string;

beforeAll(async () => {
  superSql = rawSql("super");
  const tables = (
    await superSql<
      { tablename: string }[]
    >`select tablename from pg_tables where schemaname = 'public' order by 1`
  )
    .map((t) => t.tablename)
    .filter((t) => !NOISY.has(t));
  digestQuery = tables
    .map(
      (t) =>
        `select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d from public."${t}" x`,
    )
    .join(" union all ");
  world = await makeWorld(superSql);
}, 120_000);

afterAll(async () => {
  await superSql?.end({ timeout: 5 });
});

/** Every row of every table (but the noisy two), as one digest per table. */
async function digests(): Promise<Map<string, string>> {
  const rows = await superSql.unsafe<{ t: string; d: string }[]>(digestQuery);
  return new Map(rows.map((r) => [r.t, r.d]));
}

const changedTables = (before: Map<string, string>, after: Map<string, string>) =>
  [...after].filter(([t, d]) => before.get(t) !== d).map(([t]) => t);

const key = (a: ActionEntry) => `${a.filename}#${a.exportedName}`;

function expected(entry: (typeof CASES)[string], caller: Caller): Outcome {
  return entry.outcome?.[caller] ?? (entry.allowed.includes(caller) ? "ok" : "denied");
}

type Result = { ok: boolean; error?: { code: string; message: string } };

describe("the role matrix", () => {
  it("has an expectation for every action of the build, and none for an action that is gone", () => {
    const built = listActions().map(key).sort();
    expect(built.filter((k) => !CASES[k])).toEqual([]);
    expect(Object.keys(CASES).filter((k) => !built.includes(k))).toEqual([]);
  });

  it.each(listActions().map((a) => [key(a), a] as const))("%s", async (name, action) => {
    const entry = CASES[name];
    if (!entry) throw new Error(`${name} has no entry in role-matrix-cases.ts: decide who may call it`);
    if (entry.fresh) await signInAll(world);
    const undo = entry.around ? await entry.around(world) : null;
    const problems: string[] = [];
    try {
      for (const caller of CALLERS) {
        const want = expected(entry, caller);
        const args = await entry.args(world, caller);
        if (want !== "ok") await quiesce(superSql);
        const before = want === "ok" ? null : await digests();
        const answer = await callAction(world.sessions[caller], action, args, {
          params: { org: world.org.slug, id: world.org.env.staging, token: "A".repeat(43) },
        });
        const say = (what: string) => problems.push(`${caller}: ${what}`);
        if (answer.status >= 500) say(`HTTP ${answer.status}`);
        const leak = leakIn(answer.body);
        if (leak) say(`the answer shows ${leak}`);
        // Signed out, the proxy sends a console page's action to sign in before anything runs.
        const toSignIn =
          caller === "anonymous" &&
          answer.status === 307 &&
          /^\/login\?/.test(answer.headers.get("location") ?? "");
        const result = toSignIn
          ? { ok: false, error: { code: "unauthorized", message: "sent to sign in" } }
          : (answer.result as Result | undefined);
        if (!result || typeof result.ok !== "boolean") {
          say(`no action result (HTTP ${answer.status}): ${answer.body.slice(0, 200)}`);
          continue;
        }
        const got = result.ok ? "ok" : `code:${result.error?.code}`;
        const denial = caller === "anonymous" ? "code:unauthorized" : "code:forbidden";
        const wanted = want === "denied" ? denial : want;
        if (got !== wanted)
          say(`expected ${wanted}, got ${got}${result.error ? ` (${result.error.message})` : ""}`);
        if (before) {
          const changed = changedTables(before, await digests());
          if (changed.length > 0) say(`refused, yet changed ${changed.join(", ")}`);
        }
      }
    } finally {
      await undo?.();
    }
    expect(problems).toEqual([]);
  });
});

describe("the API routes' role matrix", () => {
  it("has an expectation for every route of the build", () => {
    const built = listRoutes().map((r) => r.template);
    expect(built.filter((t) => !ROUTES[t])).toEqual([]);
    expect(Object.keys(ROUTES).filter((t) => !built.includes(t))).toEqual([]);
  });

  it.each(Object.entries(ROUTES))("%s", async (_template, route) => {
    const problems: string[] = [];
    for (const caller of CALLERS) {
      const allowed = route.allowed.includes(caller);
      if (!allowed) await quiesce(superSql);
      const before = allowed ? null : await digests();
      const answer = await world.sessions[caller].request(route.path(world), {
        method: route.method ?? "GET",
      });
      const say = (what: string) => problems.push(`${caller}: ${what}`);
      const ok = route.allowedStatus ?? 200;
      if (allowed && answer.status !== ok)
        say(`expected ${ok}, got ${answer.status} ${answer.body.slice(0, 120)}`);
      if (!allowed) {
        const status = caller === "anonymous" || route.token ? 401 : 403;
        const code = route.token ? "token_invalid" : caller === "anonymous" ? "unauthorized" : "forbidden";
        const body = (() => {
          try {
            return JSON.parse(answer.body) as { code?: string; error?: { code?: string } };
          } catch {
            return null;
          }
        })();
        const problem = route.token || route.person;
        if (answer.status !== status || (problem ? body?.code : body?.error?.code) !== code)
          say(`expected ${status} ${code}, got ${answer.status} ${answer.body.slice(0, 120)}`);
        const changed = changedTables(before as Map<string, string>, await digests());
        if (changed.length > 0) say(`refused, yet changed ${changed.join(", ")}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
