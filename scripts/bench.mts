/**
 * `npm run bench`: one organization with 20 environments, 10,000 variables, 200,000 encrypted values and
 * 1,000,000 audit rows (set-based), then medians and p95 of what users wait for — through the same query
 * and mutation functions the console uses, over HTTP (time to first byte) against the app as `npm start`
 * serves it (scripts/serve.mts), the deployment sync (push, drift scan) of one environment to the reference
 * receiver on loopback, `/api/health` while ten validation patterns are analysed (`--only=patterns` runs just
 * that section), the first 10,000-line import into a fresh database, and a data-key rotation of every value.
 * Writes docs/benchmarks.md. `--quick` runs fewer repetitions; BENCH_DATABASE_ADMIN_URL uses that server.
 */
import { randomBytes } from "node:crypto";
import { type Result, recorder, stats } from "./bench/measure.mts";
import { benchOps } from "./bench/ops.mts";
import { benchPatterns } from "./bench/patterns.mts";
import { writeReport } from "./bench/report.mts";
import { withServer } from "./bench/server.mts";
import { throwawayDatabase } from "./throwaway-db.mts";

const quick = process.argv.includes("--quick");
// `--only=patterns` (health under pattern analysis), `--only=machine` (token reads, the CLI), `--only=rotation`:
// printed, no report.
const onlyPatterns = process.argv.includes("--only=patterns");
const onlyMachine = process.argv.includes("--only=machine");
const onlyRotation = process.argv.includes("--only=rotation");
// `--scale large` (or `--scale=large`): 1,000 organizations, the largest of 100,000 variables (scripts/bench/large.mts).
const large =
  process.argv.includes("--scale=large") || process.argv[process.argv.indexOf("--scale") + 1] === "large";
const RUNS = quick ? 5 : 30;
const HEALTH_REQUESTS = quick ? 50 : 200;
const SLOW_RUNS = quick ? 2 : 5;
const ENVIRONMENTS = 20;
const VARIABLES = 10_000;
const AUDIT_ROWS = 1_000_000;
const log = (m: string) => console.log(`[bench] ${m}`);

process.env.RINGBEARER_MASTER_KEY = randomBytes(32).toString("base64");
const db = await throwawayDatabase({
  adminUrl: process.env.BENCH_DATABASE_ADMIN_URL,
  prefix: "rb_bench",
  masterKey: process.env.RINGBEARER_MASTER_KEY,
});
process.env.DATABASE_URL = db.databaseUrl;
process.env.DATABASE_OWNER_URL = db.ownerUrl;
// The sync section's receiver listens on loopback, which the outbound policy refuses unless opened.
process.env.RINGBEARER_OUTBOUND_ALLOW = "127.0.0.1";

// Imported after the environment is set: the app's modules read it on first use.
const { withContext } = await import("@/db/context");
const { createOrganization } = await import("@/server/organizations/organizations");
const { createUser } = await import("@/server/auth/users");
const { applyImport, previewImport } = await import("@/server/values/dotenv-import");
const { exportEnvironment } = await import("@/server/values/export");
const { auditActivity, auditPage, recentAudit } = await import("@/server/audit/audit-reads");
const { compareEnvironments } = await import("@/server/values/compare");
const { matrixPage } = await import("@/db/repos/matrix");
const { getDb } = await import("@/db/client");
const { benchSync } = await import("./bench/sync.mts");
const { benchFreshImport } = await import("./bench/fresh-import.mts");
const { benchRotation } = await import("./bench/rotation.mts");

const PASSWORD = "bench-password-123";
const newOwner = async () => {
  const owner = await createUser(getDb(), { email: "bench@bench.test", name: "Bench", password: PASSWORD });
  const org = await createOrganization(getDb(), {
    slug: "bench",
    name: "Bench Weddings",
    timeZone: "Europe/London",
    ownerId: owner.id,
    defaultWindow: false,
  });
  return { owner, org };
};

if (onlyPatterns || onlyMachine || large) {
  try {
    const { owner, org } = await newOwner();
    const user = { email: "bench@bench.test", password: PASSWORD };
    if (large)
      await (await import("./bench/large.mts")).benchLarge({
        db,
        owner,
        org,
        password: PASSWORD,
        quick,
        log,
      });
    else if (onlyMachine)
      await (await import("./bench/machine.mts")).machineOnly(
        { userId: owner.id, organizationId: org.id, role: "owner" },
        quick,
        (fn) => withServer(user, log, fn),
        log,
      );
    else await withServer(user, log, (server) => benchPatterns(server, "bench", HEALTH_REQUESTS, log));
  } finally {
    await getDb()
      .$client.end({ timeout: 5 })
      .catch(() => {});
    await db.drop();
  }
  process.exit(0);
}

try {
  // --- generate -------------------------------------------------------------------------------------
  const { owner, org } = await newOwner();
  const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
  const { generateOrganization } = await import("./bench/generate.mts");
  const { envs, vars, values, generated, postgresVersion } = await generateOrganization({
    superUrl: db.superUrl,
    ctx,
    environments: ENVIRONMENTS,
    variables: VARIABLES,
    auditRows: AUDIT_ROWS,
    log,
  });
  if (onlyRotation) {
    // `--only=rotation`: the rotation section alone on the same organization, printed (no report).
    log(JSON.stringify(await benchRotation(ctx, quick ? 1 : 3, log)));
  } else {
    // --- measure (server: the console's own query functions) -----------------------------------------
    const first = envs[0];
    const second = envs[1];
    const results: Result[] = [];
    const record = recorder(results, log);
    await record(
      "matrix first page (100 rows × 20 environments)",
      RUNS,
      () => matrixPage(ctx, { offset: 0, limit: 100 }),
      100,
    );
    await record("matrix page at row 9,900", RUNS, () => matrixPage(ctx, { offset: 9900, limit: 100 }), 100);
    await record(
      "matrix search (substring 'VAR_12')",
      RUNS,
      () => matrixPage(ctx, { offset: 0, limit: 100, q: "VAR_12" }),
      100,
    );
    await record(
      "matrix filter (missing in one environment)",
      RUNS,
      () => matrixPage(ctx, { offset: 0, limit: 100, status: { kind: "missing", environment: second.name } }),
      100,
    );
    await record(
      "compare two full environments (10,000 keys)",
      RUNS,
      () => compareEnvironments(ctx, first.id, second.id),
      500,
    );
    await record("export 10,000 values (.env, decrypted, audited)", SLOW_RUNS, () =>
      withContext(ctx, (tx) => exportEnvironment(tx, ctx, first.id, "env")),
    );
    let round = 0;
    const importText = () =>
      `${vars.map((v) => `VAR_${String(v.n).padStart(5, "0")}_X=${round}-${v.n}`).join("\n")}\n`;
    // Import into a fresh environment: every run writes 10,000 values (the first creates the variables).
    const target = envs[envs.length - 1];
    const importOnce = async () => {
      round++;
      const text = importText();
      const preview = await withContext(ctx, (tx) => previewImport(tx, ctx, target.id, text));
      await withContext(ctx, (tx) =>
        applyImport(tx, ctx, { environmentId: target.id, text, expected: preview.expected }),
      );
    };
    await record("import 10,000 .env lines (preview + apply, one transaction)", SLOW_RUNS, importOnce, 5000);
    // The first import into a freshly migrated database (a new database per run, on the same server).
    const fresh: Result[] = [];
    const adminUrl = new URL(db.superUrl);
    adminUrl.pathname = "/postgres";
    await benchFreshImport({
      adminUrl: adminUrl.toString(),
      masterKey: process.env.RINGBEARER_MASTER_KEY as string,
      lines: VARIABLES,
      runs: SLOW_RUNS,
      record,
      into: fresh,
    });
    await record(
      "audit list first page (of 1,000,000+ rows in 13 monthly partitions)",
      RUNS,
      () => recentAudit(ctx, 100),
      100,
    );
    await record(
      "audit first page filtered by action (across the partitions)",
      RUNS,
      () => auditPage(ctx, { action: "export" }, "UTC", 50),
      100,
    );
    await record("audit page 200 deep, filtered by action (keyset)", RUNS, async () => {
      let before: number | undefined;
      for (let i = 0; i < 200; i += 50)
        before = (await auditPage(ctx, { action: "export", before }, "UTC", 50)).nextBefore ?? undefined;
    });
    await record("audit activity chart (30 days, ~82,000 rows)", SLOW_RUNS, () =>
      auditActivity(ctx, {}, "UTC", 30),
    );

    await benchOps(ctx, db.superUrl, RUNS, record);

    // --- measure (HTTP: time to first byte against next start) ---------------------------------------
    const http: typeof results = [];
    const patterns = await withServer(
      { email: "bench@bench.test", password: PASSWORD },
      log,
      async (server) => {
        const ttfb = async (path: string) => {
          const t = performance.now();
          const response = await fetch(`${server.base}${path}`, { headers: { cookie: server.cookie } });
          const reader = response.body?.getReader();
          await reader?.read();
          const elapsed = performance.now() - t;
          await reader?.cancel();
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          return elapsed;
        };
        const httpRecord = async (name: string, path: string, target?: number) => {
          await ttfb(path);
          const samples: number[] = [];
          for (let i = 0; i < RUNS; i++) samples.push(await ttfb(path));
          const r = stats(samples);
          http.push({ name, target, ...r });
          log(`${name}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
        };
        await httpRecord("GET /o/bench/matrix (page shell, TTFB)", "/o/bench/matrix");
        await httpRecord(
          "GET /api/o/bench/matrix first page (TTFB)",
          "/api/o/bench/matrix?offset=0&limit=100",
          100,
        );
        await httpRecord(
          "GET /api/o/bench/matrix?q=VAR_12 (TTFB)",
          "/api/o/bench/matrix?offset=0&limit=100&q=VAR_12",
          100,
        );
        await httpRecord("GET /o/bench/audit (TTFB)", "/o/bench/audit");
        await httpRecord("GET /api/o/bench/audit/activity (30 days, TTFB)", "/api/o/bench/audit/activity");
        return benchPatterns(server, "bench", HEALTH_REQUESTS, log);
      },
    );

    // --- measure (deployment sync: the first environment to the reference receiver, HTTP on loopback) -----
    const sync: Result[] = [];
    // The first environment has a value for every variable.
    const deployedBytes = await benchSync(ctx, first, vars.length, SLOW_RUNS, record, sync);

    const rotation = await benchRotation(ctx, quick ? 1 : 3, log); // last: it moves every value to a new key
    // --- report ----------------------------------------------------------------------------------------
    await writeReport({
      quick,
      runs: RUNS,
      slowRuns: SLOW_RUNS,
      postgresVersion,
      embedded: !process.env.BENCH_DATABASE_ADMIN_URL,
      data: {
        environments: envs.length,
        variables: vars.length,
        values,
        auditRows: AUDIT_ROWS,
        generatedSeconds: generated,
      },
      server: results,
      fresh: { result: fresh[0], warm: results.find((r) => r.name.startsWith("import 10,000 .env lines")) },
      http,
      sync,
      syncEnvironment: first.name,
      patterns,
      deployedBytes,
      rotation,
    });
    log("wrote docs/benchmarks.md");
  }
} finally {
  await getDb()
    .$client.end({ timeout: 5 })
    .catch(() => {});
  await db.drop();
}
