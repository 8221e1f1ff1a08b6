import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import * as schema from "@/db/schema";
import { applyImport, previewImport } from "@/server/values/dotenv-import";
import { makeOrg, type TestOrg } from "./support";

/**
 * Review finding (resilience 4): the first 10,000-line import into a fresh database ran over 10 minutes. The
 * statement-level triggers keep one plan per session; planned for the few rows of the first edits on a
 * connection (nearly empty tables), the value gate's plan rescanned the statement's rows once per variable of
 * the organization — 1,000 rows × 1,040 variables = a million gate checks. Every plan that reads a statement's
 * rows must read them once, however small the tables and transition tables were when it was first planned.
 *
 * auto_explain (loaded by a superuser session that then acts as the app role, RLS on) reports the plans the
 * triggers really ran, with their loop counts; the import goes through the console's own functions.
 */
type PlanNode = {
  "Node Type": string;
  "Actual Loops"?: number;
  "Relation Name"?: string;
  Plans?: PlanNode[];
};

const tuplestoreScans = (node: PlanNode): PlanNode[] => [
  ...(node["Node Type"] === "Named Tuplestore Scan" ? [node] : []),
  ...(node.Plans ?? []).flatMap(tuplestoreScans),
];

let org: TestOrg;
let client: postgres.Sql;
let database: Database;
const plans: { query: string; plan: PlanNode }[] = [];
let recording = false;

beforeAll(async () => {
  org = await makeOrg();
  client = postgres(inject("superUrl"), {
    max: 1,
    onnotice: (notice) => {
      if (!recording) return;
      const text = String(notice.message);
      const json = text.slice(text.indexOf("{"));
      const parsed = JSON.parse(json) as { "Query Text": string; Plan: PlanNode };
      plans.push({ query: parsed["Query Text"], plan: parsed.Plan });
    },
  });
  const appRole = new URL(inject("databaseUrl")).username;
  await client.unsafe(`load 'auto_explain'`);
  await client.unsafe(`set auto_explain.log_min_duration = 0`);
  await client.unsafe(`set auto_explain.log_analyze = on`);
  await client.unsafe(`set auto_explain.log_nested_statements = on`);
  await client.unsafe(`set auto_explain.log_format = json`);
  await client.unsafe(`set auto_explain.log_level = notice`);
  await client.unsafe(`set client_min_messages = notice`);
  await client.unsafe(`set role "${appRole}"`);
  database = drizzle({ client, schema, casing: "snake_case" }) as unknown as Database;
});

afterAll(async () => {
  await client?.end({ timeout: 5 });
});

async function importLines(ctx: TenantContext, environmentId: string, text: string) {
  const preview = await withContext(ctx, (tx) => previewImport(tx, ctx, environmentId, text), database);
  return withContext(
    ctx,
    (tx) => applyImport(tx, ctx, { environmentId, text, expected: preview.expected }),
    database,
  );
}

describe("bulk writes on a fresh database", () => {
  it("scans each statement's rows once in every trigger, after small edits planned them on tiny tables", async () => {
    const env = org.env.development;
    // A console session: a few small imports and edits on this connection first (plans made and kept for
    // statements of a handful of rows), then the big import.
    for (let round = 0; round < 7; round++) {
      const keys = Array.from({ length: 4 }, (_, i) => `EARLY_${round}_${i}`);
      await importLines(org.owner, env, keys.map((k) => `${k}=first`).join("\n"));
      await importLines(org.owner, env, keys.map((k) => `${k}=second`).join("\n"));
    }
    const lines = 200;
    const text = Array.from({ length: lines }, (_, i) => `BULK_${i}=value-${i}`).join("\n");
    recording = true;
    const result = await importLines(org.owner, env, text);
    // And again with other values: the same rows updated (history and audit join old and new rows).
    const again = await importLines(org.owner, env, text.replaceAll("value-", "changed-"));
    recording = false;
    expect(result).toMatchObject({ created: lines, written: lines });
    expect(again).toMatchObject({ created: 0, written: lines });

    const triggerPlans = plans.filter((p) => tuplestoreScans(p.plan).length > 0);
    // The value gate, the history and audit rows, and the live-update notice each read the written rows.
    expect(triggerPlans.length).toBeGreaterThanOrEqual(6);
    const rescanned = triggerPlans
      .map((p) => ({
        query: p.query.replace(/\s+/g, " ").slice(0, 120),
        loops: Math.max(...tuplestoreScans(p.plan).map((s) => s["Actual Loops"] ?? 0)),
      }))
      .filter((p) => p.loops > 1);
    expect(rescanned).toEqual([]);
  }, 120_000);

  it("re-plans every trigger function that reads a statement's rows, whichever migration defined it last", async () => {
    // A later CREATE OR REPLACE FUNCTION drops the setting unless it repeats it (migration 0024 did).
    const owner = postgres(inject("ownerUrl"), { max: 1, onnotice: () => {} });
    try {
      const missing = await owner<{ name: string }[]>`
        select distinct p.proname as name from pg_trigger t join pg_proc p on p.oid = t.tgfoid
        where not t.tgisinternal and (t.tgoldtable is not null or t.tgnewtable is not null)
          and not ('plan_cache_mode=force_custom_plan' = any(coalesce(p.proconfig, '{}')))
        order by 1`;
      expect(missing.map((r) => r.name)).toEqual([]);
    } finally {
      await owner.end({ timeout: 5 });
    }
  });
});
