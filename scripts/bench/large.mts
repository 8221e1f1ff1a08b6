/**
 * `npm run bench -- --scale large` (or `--scale=large`): an installation of 1,000 organizations — "bench" with
 * 100,000 variables × 20 environments (2,000,000 encrypted values), "bench-10k" with 10,000 × 20 made the same way
 * (scripts/bench/generate.mts, no audit rows), and 998 small ones (scripts/bench/large-fill.mts) — then, for both
 * large organizations in the same run: the matrix's first page and a search (the console's `matrixPage`), and a
 * machine read of one whole environment and of a 500-value environment (`GET /api/v1/environments/{name}/values`
 * with a service token, against the app as `npm start` serves it: with its read cache, and again with the cache
 * off). Writes docs/benchmarks-large.md (scripts/bench/large-report.mts). `--quick`: 5 runs instead of 30.
 * Smaller trials: BENCH_LARGE_VARIABLES (the big organization's variables, default 100000) and BENCH_LARGE_ORGS
 * (organizations in all, default 1000), e.g. `BENCH_LARGE_VARIABLES=2000 BENCH_LARGE_ORGS=50`.
 */
import postgres from "postgres";
import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { matrixPage } from "@/db/repos/matrix";
import { environmentInput } from "@/lib/validation/environments";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { createUser } from "@/server/auth/users";
import { createEnvironment } from "@/server/environments/environments";
import { createOrganization } from "@/server/organizations/organizations";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import type { ThrowawayDatabase } from "../throwaway-db.mts";
import { generateOrganization } from "./generate.mts";
import { fillOrganizations, installationCounts, organizationCounts } from "./large-fill.mts";
import { type LargeOrg, type LargePair, writeLargeReport } from "./large-report.mts";
import { measure, type Result } from "./measure.mts";
import { type BenchServer, withServer } from "./server.mts";

const ENVIRONMENTS = 20;
const BASELINE_VARIABLES = 10_000;
const MACHINE_VALUES = 500;
const MACHINE_ENV = "machine";
// generate.mts names its variables 'VAR_' || lpad(i, 5): from the 100,000th on, lpad cuts the name and it repeats
// an earlier one's. The ones past this are made through the console's own services instead (topUp).
const GENERATE_MAX = 99_999;

const whole = (name: string, fallback: number) => {
  const n = Number(process.env[name]?.trim() || fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return n;
};

type Org = LargeOrg & { ctx: { userId: string; organizationId: string; role: "owner" }; token?: string };
const orgOf = (slug: string, userId: string, organizationId: string, variables: number): Org => ({
  slug,
  ctx: { userId, organizationId, role: "owner" },
  variables,
  fullEnv: "",
  counts: { variables: 0, values: 0, environments: 0 },
});

/** The variables past GENERATE_MAX, with a value in every environment, as the console makes them. */
async function topUp(org: Org, envs: { id: string }[], from: number) {
  await withContext(org.ctx, async (tx) => {
    for (let i = from; i <= org.variables; i++) {
      const variable = await createVariable(tx, org.ctx, {
        name: `VAR_${i}_${["STRIPE", "RESEND", "TWILIO", "HUBSPOT", "POSTHOG"][i % 5]}`,
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      });
      for (const env of envs) {
        const input = { variableId: variable.id, environmentId: env.id, expectedVersion: 0 };
        const result = await setValue(tx, org.ctx, { ...input, value: `value-${i}-shared` });
        if (result.status !== "applied") throw new Error(`${org.slug}: a value was ${result.status}`);
      }
    }
  });
}

/** A value its variable's type accepts (a URL for a database URL, a boolean for a feature flag). */
const valueOfType = (type: string, i: number) =>
  type === "database_url"
    ? `postgres://app:secret-${i}@db-${i}.internal:5432/app`
    : type === "feature_flag"
      ? String(i % 2 === 0)
      : `machine-${i}-${"x".repeat(40)}`;

/** A 500-value environment of the organization, written through the console's services, and a read token. */
async function machineAccess(sql: postgres.Sql, org: Org) {
  const ids = await sql<
    { id: string; type: string }[]
  >`select id, variable_type as type from environment_variables
    where organization_id = ${org.ctx.organizationId} and security_classification in ('public', 'internal')
      and not is_wedding_critical order by name limit ${MACHINE_VALUES}`;
  if (ids.length < MACHINE_VALUES) throw new Error(`${org.slug}: fewer than ${MACHINE_VALUES} variables`);
  org.token = await withContext(org.ctx, async (tx) => {
    const input = { name: MACHINE_ENV, displayName: "Machine reads", environmentType: "development" };
    const env = await createEnvironment(tx, org.ctx, environmentInput.parse(input));
    for (const [i, { id, type }] of ids.entries()) {
      const result = await setValue(tx, org.ctx, {
        variableId: id,
        environmentId: env.id,
        value: valueOfType(type, i),
        expectedVersion: 0,
      });
      if (result.status !== "applied") throw new Error(`${org.slug}: a machine value was ${result.status}`);
    }
    const token = serviceTokenInput.parse({
      name: "bench-large",
      environments: [org.fullEnv, MACHINE_ENV],
      access: "read",
    });
    return (await createServiceToken(tx, org.ctx, token)).token;
  });
}

/** One token read, the body read to its end. */
async function read(server: BenchServer, token: string, environment: string, format = "json") {
  const response = await fetch(`${server.base}/api/v1/environments/${environment}/values?format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`${environment}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return body;
}

export async function benchLarge(o: {
  db: ThrowawayDatabase;
  owner: { id: string };
  org: { id: string };
  password: string;
  quick: boolean;
  log: (m: string) => void;
}) {
  const { db, quick, log } = o;
  const variables = whole("BENCH_LARGE_VARIABLES", 100_000);
  const organizations = whole("BENCH_LARGE_ORGS", 1_000);
  const runs = quick ? 5 : 30;
  const sql = postgres(db.superUrl, { max: 1, onnotice: () => {} });
  try {
    // --- generate ------------------------------------------------------------------------------------
    const baseOwner = await createUser(getDb(), {
      email: "bench-10k@bench.test",
      name: "Bench 10k",
      password: o.password,
    });
    const baseOrg = await createOrganization(getDb(), {
      slug: "bench-10k",
      name: "Bench 10k Weddings",
      timeZone: "Europe/London",
      ownerId: baseOwner.id,
      defaultWindow: false,
    });
    const orgs = [
      orgOf("bench", o.owner.id, o.org.id, variables),
      orgOf("bench-10k", baseOwner.id, baseOrg.id, BASELINE_VARIABLES),
    ];
    const generation: { part: string; seconds: number }[] = [];
    let postgresVersion = "";
    for (const org of orgs) {
      log(`${org.slug}: ${org.variables} variables × ${ENVIRONMENTS} environments…`);
      const made = await generateOrganization({
        superUrl: db.superUrl,
        ctx: org.ctx,
        environments: ENVIRONMENTS,
        variables: Math.min(org.variables, GENERATE_MAX),
        auditRows: 0,
        log,
      });
      const topUpStarted = performance.now();
      if (org.variables > GENERATE_MAX) await topUp(org, made.envs, GENERATE_MAX + 1);
      const seconds = made.generated + (performance.now() - topUpStarted) / 1000;
      // The first environment by name has a value for every variable (generate.mts leaves gaps in the others).
      org.fullEnv = made.envs[0].name;
      postgresVersion = made.postgresVersion;
      generation.push({
        part: `${org.slug} (${org.variables.toLocaleString("en-GB")} × 20)`,
        seconds,
      });
    }
    const fillStarted = performance.now();
    const [{ existing }] = await sql<
      { existing: number }[]
    >`select count(*)::int as existing from organizations`;
    const [{ fingerprint }] = await sql<{ fingerprint: string }[]>`select kek_fingerprint as fingerprint
      from encryption_keys limit 1`;
    log(`${organizations - existing} small organizations…`);
    await fillOrganizations(sql, organizations - existing, fingerprint);
    generation.push({
      part: `${organizations - existing} small organizations`,
      seconds: (performance.now() - fillStarted) / 1000,
    });
    const vacuumStarted = performance.now();
    await sql`vacuum analyze`;
    generation.push({ part: "VACUUM ANALYZE", seconds: (performance.now() - vacuumStarted) / 1000 });
    for (const org of orgs) org.counts = await organizationCounts(sql, org.ctx.organizationId);
    const installation = await installationCounts(sql);
    log(`installation: ${JSON.stringify(installation)}`);

    // --- the console's matrix (server time: the query functions, app role, RLS on) --------------------
    const pairs: LargePair[] = [];
    const both = async (
      name: (matches: number[]) => string,
      fn: (org: Org) => () => Promise<unknown>,
      opts: { target?: number; matches?: (org: Org) => Promise<number> } = {},
    ) => {
      const matches: number[] = [];
      for (const org of orgs) if (opts.matches) matches.push(await opts.matches(org)); // one at a time
      const results: Result[] = [];
      for (const org of orgs) {
        const r = await measure(runs, fn(org));
        results.push({ name: name(matches), target: opts.target, ...r });
        log(`${org.slug}: ${name(matches)}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
      }
      pairs.push({ name: name(matches), target: opts.target, big: results[0], base: results[1] });
    };
    const total = (q: string) => async (org: Org) =>
      (await matrixPage(org.ctx, { offset: 0, limit: 100, q })).total;
    const n = (x: number) => x.toLocaleString("en-GB");
    await both(
      () => "matrix first page (100 rows × 20 environments)",
      (org) => () => matrixPage(org.ctx, { offset: 0, limit: 100 }),
      { target: 100 },
    );
    for (const q of ["VAR_12", "VAR_012"])
      await both(
        (m) => `matrix search '${q}' (${n(m[0])} / ${n(m[1])} matches)`,
        (org) => () => matrixPage(org.ctx, { offset: 0, limit: 100, q }),
        { target: 100, matches: total(q) },
      );

    // --- machine reads (HTTP, the app as `npm start` serves it) ---------------------------------------
    for (const org of orgs) await machineAccess(sql, org);
    process.env.RINGBEARER_TOKEN_RATE_LIMIT = "999999"; // one reader, many reads: this measures latency
    const user = { email: "bench@bench.test", password: o.password };
    const machine = async (server: BenchServer, cache: boolean) => {
      const label = cache ? "read cache on" : "read cache off";
      const cold: string[] = [];
      // The route's first request loads its modules: made first, in another format (the cache keeps each apart).
      await read(server, orgs[1].token as string, MACHINE_ENV, "dotenv");
      for (const env of ["full", "machine"] as const)
        await both(
          (m) =>
            `GET …/${env === "full" ? orgs[0].fullEnv : MACHINE_ENV}/values (${n(m[0])} / ${n(m[1])} values, json, ${label})`,
          (org) => () => read(server, org.token as string, env === "full" ? org.fullEnv : MACHINE_ENV),
          {
            target: 100,
            matches: async (org) => {
              const environment = env === "full" ? org.fullEnv : MACHINE_ENV;
              const t = performance.now();
              const body = await read(server, org.token as string, environment);
              cold.push(`${org.slug} ${environment}: ${(performance.now() - t).toFixed(0)} ms`);
              const count = Object.keys(JSON.parse(body)).length;
              const expected = env === "full" ? org.variables : MACHINE_VALUES;
              if (count !== expected)
                throw new Error(`${org.slug} ${environment}: ${count} values, not ${expected}`);
              return count;
            },
          },
        );
      return cold;
    };
    const firstReads = await withServer(user, log, (server) => machine(server, true));
    process.env.RINGBEARER_READ_CACHE_MB = "0";
    await withServer(user, log, (server) => machine(server, false));
    delete process.env.RINGBEARER_READ_CACHE_MB;

    // --- report ------------------------------------------------------------------------------------------
    await writeLargeReport({
      quick,
      runs,
      postgresVersion,
      embedded: !process.env.BENCH_DATABASE_ADMIN_URL,
      orgs,
      installation,
      generation,
      pairs,
      firstReads,
      seconds: process.uptime(),
    });
    log("wrote docs/benchmarks-large.md");
  } finally {
    await sql.end({ timeout: 5 });
  }
}
