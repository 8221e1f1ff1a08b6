/**
 * `npm run bench`: one organization with 20 environments, 10,000 variables, 200,000 encrypted values and
 * 1,000,000 audit rows (set-based), then medians and p95 of what users wait for — through the same query
 * and mutation functions the console uses, over HTTP (time to first byte) against `next start`, and the
 * deployment sync (push, drift scan) of one environment to the reference receiver on loopback.
 * Writes docs/benchmarks.md. `--quick` runs fewer repetitions; BENCH_DATABASE_ADMIN_URL uses that server.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { throwawayDatabase } from "./throwaway-db.mts";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 5 : 30;
const SLOW_RUNS = quick ? 2 : 5;
const ENVIRONMENTS = 20;
const VARIABLES = 10_000;
const AUDIT_ROWS = 1_000_000;
const log = (m: string) => console.log(`[bench] ${m}`);

const db = await throwawayDatabase({ adminUrl: process.env.BENCH_DATABASE_ADMIN_URL, prefix: "rb_bench" });
process.env.DATABASE_URL = db.databaseUrl;
process.env.DATABASE_OWNER_URL = db.ownerUrl;
process.env.RINGBEARER_MASTER_KEY = randomBytes(32).toString("base64");

// Imported after the environment is set: the app's modules read it on first use.
const { withContext } = await import("@/db/context");
const { orgKeys } = await import("@/db/keyring");
const { createOrganization } = await import("@/db/mutations/organizations");
const { createUser } = await import("@/db/mutations/users");
const { applyImport, previewImport } = await import("@/db/mutations/dotenv-import");
const { exportEnvironment } = await import("@/db/mutations/export");
const { auditActivity, auditPage, recentAudit } = await import("@/db/queries/audit");
const { compareEnvironments } = await import("@/db/queries/compare");
const { matrixPage } = await import("@/db/queries/matrix");
const { encryptValue, hmacValue } = await import("@/lib/crypto");
const { getDb } = await import("@/db/client");
const { createTarget } = await import("@/db/mutations/sync-targets");
const { pushToTarget } = await import("@/db/mutations/deploy");
const { scanTarget } = await import("@/db/mutations/drift");
const { httpTarget } = await import("@/lib/targets/http-target");
const { targetInput } = await import("@/lib/validation/targets");
const { startReceiver } = await import("./target-receiver.mts");

const PASSWORD = "bench-password-123";
const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), runs: s.length };
};
/** `prepare` runs before each call (the warm-up too), outside the timed part. */
async function measure(runs: number, fn: () => Promise<unknown>, prepare?: () => Promise<unknown>) {
  await prepare?.();
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await prepare?.();
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

try {
  // --- generate -------------------------------------------------------------------------------------
  const genStarted = performance.now();
  const owner = await createUser(getDb(), { email: "bench@bench.test", name: "Bench", password: PASSWORD });
  const org = await createOrganization(getDb(), {
    slug: "bench",
    name: "Bench Weddings",
    timeZone: "Europe/London",
    ownerId: owner.id,
    defaultWindow: false,
  });
  const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
  const sql = postgres(db.superUrl, { max: 1, onnotice: () => {} });
  await sql`set session_replication_role = replica`; // bulk load: no per-row triggers
  await sql`insert into environments (organization_id, name, display_name, environment_type, is_production)
    select ${org.id}, 'env-' || lpad(i::text, 2, '0'), 'Environment ' || i,
           (array['development','testing','staging','disaster_recovery'])[1 + i % 4], false
      from generate_series(4, ${ENVIRONMENTS}) i`;
  await sql`insert into environment_variables (organization_id, name, variable_type, security_classification,
      is_required, tags, created_by)
    select ${org.id}, 'VAR_' || lpad(i::text, 5, '0') || '_' || (array['STRIPE','RESEND','TWILIO','HUBSPOT','POSTHOG'])[1 + i % 5],
           (array['secret','configuration','api_key','feature_flag','database_url'])[1 + i % 5]::text,
           (array['internal','confidential','public','wedding_day_critical'])[1 + i % 4], i % 10 = 0,
           array[(array['payments','email','sms','crm','analytics'])[1 + i % 5]], ${owner.id}
      from generate_series(1, ${VARIABLES}) i`;
  const envs = await sql<{ id: string; name: string }[]>`select id, name from environments
    where organization_id = ${org.id} order by name`;
  const vars = await sql<{ id: string; n: number }[]>`select id, row_number() over (order by name)::int as n
    from environment_variables where organization_id = ${org.id}`;
  const keys = await withContext(ctx, (tx) => orgKeys(tx, org.id));
  log(`encrypting ${envs.length * vars.length} values…`);
  for (const [e, env] of envs.entries()) {
    const cols = { variable: [] as string[], value: [] as string[], hash: [] as string[] };
    for (const v of vars) {
      if ((v.n + e) % 23 === 0 && e > 0) continue; // a few keys missing per environment (parity, matrix)
      const plain = e % 4 === 0 ? `value-${v.n}-${e}` : `value-${v.n}-shared`;
      cols.variable.push(v.id);
      cols.value.push(
        encryptValue(keys.dataKey, plain, {
          organizationId: org.id,
          variableId: v.id,
          environmentId: env.id,
        }),
      );
      cols.hash.push(hmacValue(keys.hmacKey, plain));
    }
    await sql`insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
        encryption_key_id, value_hash, validation_status, created_by)
      select ${org.id}, v, ${env.id}, c, ${keys.dataKeyId}, h, 'passed', ${owner.id}
        from unnest(${cols.variable}::uuid[], ${cols.value}::text[], ${cols.hash}::text[]) as t(v, c, h)`;
  }
  const [{ values }] = await sql<
    { values: number }[]
  >`select count(*)::int as values from environment_variable_values`;
  log(`generating ${AUDIT_ROWS} audit rows…`);
  await sql`insert into environment_variable_audit (organization_id, seq, variable_id, environment_id, user_id, action,
      resource_type, new_value_hash, change_details, prev_hash, row_hash, created_at)
    select ${org.id}, 1000 + i, null, null, ${owner.id},
           (array['create','update','decrypt','export','delete'])[1 + i % 5],
           (array['value','value','value','environment','variable'])[1 + i % 5], md5(i::text), '{}'::jsonb,
           'bench', 'bench', now() - make_interval(secs => (${AUDIT_ROWS} - i) * 7)
      from generate_series(1, ${AUDIT_ROWS}) i`;
  await sql`update audit_chain_heads set seq = ${AUDIT_ROWS + 1000}, row_hash = 'bench' where organization_id = ${org.id}`;
  await sql`set session_replication_role = origin`;
  await sql`vacuum analyze`; // as autovacuum would after a bulk load (visibility map for index-only scans)
  const generated = (performance.now() - genStarted) / 1000;
  log(`generated in ${generated.toFixed(1)} s`);
  const [pg] = await sql<{ version: string }[]>`select version()`;
  await sql.end();

  // --- measure (server: the console's own query functions) -----------------------------------------
  const first = envs[0];
  const second = envs[1];
  type Result = { name: string; target?: number; median: number; p95: number; runs: number; keys?: number };
  const results: Result[] = [];
  const record = async (
    name: string,
    runs: number,
    fn: () => Promise<unknown>,
    target?: number,
    opts: { prepare?: () => Promise<unknown>; into?: Result[]; keys?: number } = {},
  ) => {
    const r = await measure(runs, fn, opts.prepare);
    (opts.into ?? results).push({ name, target, keys: opts.keys, ...r });
    log(`${name}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
  };
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
  await record("audit list first page (of 1,000,000+ rows)", RUNS, () => recentAudit(ctx, 100), 100);
  await record("audit page 200 deep, filtered by action (keyset)", RUNS, async () => {
    let before: number | undefined;
    for (let i = 0; i < 200; i += 50)
      before = (await auditPage(ctx, { action: "export", before }, "UTC", 50)).nextBefore ?? undefined;
  });
  await record("audit activity chart (30 days, ~370,000 rows)", SLOW_RUNS, () =>
    auditActivity(ctx, {}, "UTC", 30),
  );

  // --- measure (HTTP: time to first byte against next start) ---------------------------------------
  const http: typeof results = [];
  if (!existsSync(".next/BUILD_ID")) {
    log("no production build: running next build…");
    spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  }
  const port = 3400 + Math.floor(Math.random() * 100);
  const base = `http://localhost:${port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: {
      ...process.env,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      PORT: String(port),
    },
    stdio: "ignore",
  });
  try {
    for (let i = 0; i < 120; i++) {
      if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const csrf = await fetch(`${base}/api/auth/csrf`);
    let cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, email: "bench@bench.test", password: PASSWORD, json: "true" }),
    });
    cookie = [cookie, ...login.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    const ttfb = async (path: string) => {
      const t = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
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
  } finally {
    // Waited for: its background jobs must not scan the sync target created below.
    const exited = new Promise((resolve) => server.once("exit", resolve));
    if (server.exitCode === null && server.signalCode === null && server.kill("SIGTERM")) {
      const stuck = setTimeout(() => server.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(stuck);
    }
  }

  // --- measure (deployment sync: the first environment to the reference receiver, HTTP on loopback) -----
  const sync: Result[] = [];
  const targetDir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-bench-target-"));
  const deployedFile = path.join(targetDir, "deployed.env");
  const secret = randomBytes(32).toString("base64url");
  const receiver = await startReceiver({ port: 0, file: deployedFile, secret, log: () => {} });
  let deployedBytes = 0;
  try {
    const { id: targetId } = await withContext(ctx, (tx) =>
      createTarget(
        tx,
        ctx,
        targetInput.parse({
          environmentId: first.id,
          name: "bench-web",
          kind: "http",
          location: receiver.url,
          secret,
          scanIntervalMinutes: "1440",
        }),
      ),
    );
    const keyCount = vars.length; // the first environment has a value for every variable
    const push = async (expectSet: number) => {
      const outcome = await pushToTarget(ctx, { targetId });
      if (outcome.status !== "completed" || outcome.set !== expectSet)
        throw new Error(
          `push: ${outcome.status}, ${outcome.set} set (expected ${expectSet}): ${outcome.message}`,
        );
    };
    const scan = async (expectOpen: number) => {
      const result = await scanTarget(ctx, targetId);
      if (!result.ok || result.open !== expectOpen)
        throw new Error(`scan: ${result.message} (expected ${expectOpen} open finding(s))`);
      return result;
    };
    // Each run starts from an empty deployment (the file removed), so every run sends all 10,000 keys.
    await record("first push, 10,000 keys (all sent)", SLOW_RUNS, () => push(keyCount), 10_000, {
      prepare: () => rm(deployedFile, { force: true }),
      into: sync,
      keys: keyCount,
    });
    deployedBytes = (await stat(deployedFile)).size;
    await record("push again, nothing differs (nothing sent)", SLOW_RUNS, () => push(0), undefined, {
      into: sync,
      keys: keyCount,
    });
    await record("drift scan, 10,000 keys, no drift", SLOW_RUNS, () => scan(0), 2000, {
      into: sync,
      keys: keyCount,
    });
    // The deployment changed behind the console's back: 100 values, spread over the key range, set directly
    // on the receiver. Before each run the previous change is undone and one untimed scan resolves it.
    const behind = httpTarget({ url: receiver.url, secret });
    const names = [...(await behind.state()).keys()].sort().filter((_, i) => i % 100 === 0);
    const original = Object.fromEntries(await behind.values(names));
    let round = 0;
    await record(
      "drift scan, 10,000 keys, 100 values changed on the target",
      SLOW_RUNS,
      () => scan(names.length),
      2000,
      {
        prepare: async () => {
          if (round > 0) {
            await behind.apply({ set: original, delete: [] });
            if ((await scan(0)).resolved !== names.length) throw new Error("scan: drift not resolved");
          }
          round++;
          await behind.apply({
            set: Object.fromEntries(names.map((n) => [n, `changed-${round}-${n}`])),
            delete: [],
          });
        },
        into: sync,
        keys: keyCount,
      },
    );
    await behind.apply({ set: original, delete: [] });
    await scan(0);
  } finally {
    await receiver.close();
    await rm(targetDir, { recursive: true, force: true });
  }

  // --- report ----------------------------------------------------------------------------------------
  const cpu = os.cpus();
  const met = (r: Result) =>
    r.target ? `p95 < ${r.target.toLocaleString("en-GB")}: ${r.p95 < r.target ? "met" : "**missed**"}` : "—";
  const row = (r: Result) =>
    `| ${r.name} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.runs} | ${met(r)} |`;
  const syncRow = (r: Result) =>
    `| ${r.name} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.runs} | ${r.keys ? Math.round(r.keys / (r.median / 1000)).toLocaleString("en-GB") : "—"} | ${met(r)} |`;
  const report = `# Benchmarks

Produced by \`npm run bench\`${quick ? " --quick" : ""} on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}
- Node ${process.version}; ${pg.version.split(",")[0]}${process.env.BENCH_DATABASE_ADMIN_URL ? "" : " (embedded, fsync off)"}
- Data: 1 organization, ${envs.length} environments, ${vars.length.toLocaleString("en-GB")} variables, ${values.toLocaleString("en-GB")} encrypted values (AES-256-GCM, real keys), ${AUDIT_ROWS.toLocaleString("en-GB")} audit rows; generated set-based in ${generated.toFixed(1)} s (values encrypted in Node and inserted with \`unnest\`, triggers off for the bulk load; the generated audit rows are not hash-chained)
- Each figure: a warm-up, then ${RUNS} runs (${SLOW_RUNS} for export, import and the deployment sync); times in milliseconds.

## Server time (the console's query and mutation functions, connected as the app role, RLS on)

| operation | median | p95 | runs | target |
|---|---|---|---|---|
${results.map(row).join("\n")}

## HTTP time to first byte (\`next start\`, signed in, loopback)

| request | median | p95 | runs | target |
|---|---|---|---|---|
${http.map(row).join("\n")}

The matrix page itself is a shell; its grid fetches \`/api/o/[org]/matrix\` one page (100 rows) at a time for
the rows in view (virtualized), so scrolling through 10,000 rows never loads them all at once.

## Deployment sync (\`${first.name}\`, ${vars.length.toLocaleString("en-GB")} keys, to the reference receiver over HTTP on loopback)

| operation | median | p95 | runs | keys/s (median) | target |
|---|---|---|---|---|---|
${sync.map(syncRow).join("\n")}

\`pushToTarget\` and \`scanTarget\` as the console calls them: values decrypted in memory, hashed under the
target's secret, the receiver's state read, only differing keys sent, the result verified by hash, the sync
and drift rows and audit written. A scan also decrypts the sensitive (confidential or wedding-critical) values
of the production and disaster-recovery environments, to recognise a production secret deployed to a lower
tier. The receiver (\`scripts/target-receiver.mts\`) runs in the bench's own process and writes its \`.env\`
file (${(deployedBytes / 1024).toFixed(0)} KiB for ${vars.length.toLocaleString("en-GB")} keys) atomically, with fsync.
`;
  await writeFile("docs/benchmarks.md", report);
  log("wrote docs/benchmarks.md");
} finally {
  await getDb()
    .$client.end({ timeout: 5 })
    .catch(() => {});
  await db.drop();
}
