/**
 * `npm test`: the whole suite, stopping at the first failure. Two cores, mostly busy, so steps are scheduled to
 * fill them: lint and typecheck beside the unit tests; then the production build beside the database
 * integration tests (real PostgreSQL) and the 200,000-value rotation; as soon as the build is done, the HTTP
 * tests against it (the fuzz over every action and route among them) while the end-to-end server starts — the
 * database suites, waiting more and more on their own timers as they end, go on beside; then Playwright.
 * (The HTTP tests once ran beside Playwright: both are CPU-bound, and the browser tests took 18 minutes, not 6.)
 *
 * The database-restart test (its own PostgreSQL and server, mostly waiting: the database is down for seconds,
 * then a minute of light traffic) and the start/stop tests of the build run beside the end-to-end tests. Each
 * step's output is printed whole when it has ended (and been waited for), in order; a failure fails the run.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";

type Step = [string, string[]];
const checks: Step[] = [
  ["check (lint + typecheck)", ["npm", "run", "check"]],
  ["unit tests", ["npx", "vitest", "run", "--project", "unit"]],
];
/** The typecheck writes `.next/types`, so it ends before the build starts. */
const build: Step = ["production build", ["npx", "next", "build"]];
const databaseSuites: Step[] = [
  ["database integration tests", ["npx", "vitest", "run", "--project", "db"]],
  // Its own database and process: mostly waiting on locks, it runs beside the others instead of after them.
  ["database tests at scale (200,000 values)", ["npx", "vitest", "run", "--project", "db-scale"]],
];
const http: Step = ["HTTP tests against the build", ["npx", "vitest", "run", "--project", "http"]];
/** Beside the end-to-end tests: what mostly waits (servers and a database starting and stopping). */
const besides: Step[] = [
  ["database restart under the running build", ["npx", "vitest", "run", "--project", "restart"]],
  ["starting and stopping the build", ["npx", "vitest", "run", "--project", "lifecycle"]],
];
const last: Step = ["end-to-end tests", ["npx", "playwright", "test"]];

const started = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const fail = (name: string, since: number, status: number | null): never => {
  console.error(`\n✖ ${name} failed after ${seconds(since)}s`);
  process.exit(status || 1);
};

/** Every child still running when this process exits (a failed step) is stopped with it. */
const children = new Set<ReturnType<typeof spawn>>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});

/**
 * e2e/server.mjs on Playwright's port; `stop` ends it (SIGTERM) and waits. Its output goes to a file, not a pipe:
 * this process blocks in spawnSync while the tests run, and a full pipe would stall the server.
 */
function startE2eServer() {
  mkdirSync(".data", { recursive: true });
  const logFile = ".data/e2e-server.log";
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, ["e2e/server.mjs"], {
    stdio: ["ignore", out, out],
    env: { ...process.env, PORT: process.env.E2E_PORT ?? "3100" },
  });
  closeSync(out);
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const health = `http://localhost:${process.env.E2E_PORT ?? "3100"}/api/health`;
  return {
    output: () => readFileSync(logFile, "utf8"),
    /** Whether it answers /api/health (waiting up to 3 minutes); false once it has exited. */
    ready: async () => {
      for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
        if (child.exitCode !== null || child.signalCode !== null) return false;
        if ((await fetch(health).catch(() => null))?.ok) return true;
        await new Promise((r) => setTimeout(r, 500));
      }
      return false;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      children.delete(child);
    },
  };
}

/** Starts a step in the background, its output held back; the promise settles with its status and output. */
function start([name, [cmd, ...args]]: Step) {
  const t = performance.now();
  console.log(`\n▶ ${name} (in the background; its output follows when it ends)`);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const output: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => output.push(d));
  child.stderr.on("data", (d: Buffer) => output.push(d));
  return {
    name,
    since: t,
    done: new Promise<{ status: number | null; output: string; took: string }>((resolve) =>
      child.on("close", (status) =>
        resolve({ status, output: Buffer.concat(output).toString(), took: seconds(t) }),
      ),
    ),
    stop: () => child.kill("SIGTERM"),
  };
}

type Running = ReturnType<typeof start>;
/** Waits for a step, prints its output, and fails the run (after `cleanup`) if it failed. */
async function finish(step: Running, cleanup?: () => Promise<void>) {
  const { status, output, took } = await step.done;
  console.log(`\n▶ ${step.name}: its output\n${output}`);
  if (status !== 0) {
    await cleanup?.();
    fail(step.name, step.since, status);
  }
  console.log(`✔ ${step.name} (${took}s)`);
}

for (const step of checks.map(start)) await finish(step);
const building = start(build);
const databases = databaseSuites.map(start);
// A database suite that fails stops the run when it ends; one that passes is printed after the browser tests.
for (const suite of databases)
  void suite.done.then(({ status }) => (status === 0 ? undefined : finish(suite)));
await finish(building);
// The end-to-end tests' server (a fresh embedded database, migrated and seeded, then the build) starts while the
// HTTP tests run; Playwright finds it answering and uses it (playwright.config.ts).
const e2eServer = startE2eServer();
await finish(start(http), e2eServer.stop);
const background = besides.map(start);
const t = performance.now();
console.log(`\n▶ ${last[0]}`);
// Only a server that answers is handed over: otherwise Playwright starts its own (after this one is gone).
const handedOver = await e2eServer.ready();
if (!handedOver) {
  await e2eServer.stop();
  console.log(
    `(the early end-to-end server did not start; Playwright starts one)\n${e2eServer.output().slice(-5_000)}`,
  );
}
// Not spawnSync: the steps still running beside keep their pipes drained meanwhile.
const e2eProcess = spawn(last[1][0], last[1].slice(1), {
  stdio: "inherit",
  env: { ...process.env, ...(handedOver ? { RINGBEARER_E2E_SERVER: "started" } : {}) },
});
children.add(e2eProcess);
const e2e = { status: await new Promise<number | null>((resolve) => e2eProcess.on("close", resolve)) };
children.delete(e2eProcess);
await e2eServer.stop();
if (e2e.status !== 0) {
  console.log(
    `\n▶ the end-to-end server's output (its last 20,000 characters)\n${e2eServer.output().slice(-20_000)}`,
  );
  for (const b of background) b.stop();
  await Promise.all(background.map((b) => b.done));
  fail(last[0], t, e2e.status);
}
console.log(`✔ ${last[0]} (${seconds(t)}s)`);
for (const step of [...databases, ...background]) await finish(step);
console.log(`\nAll checks passed in ${((performance.now() - started) / 1000).toFixed(0)}s`);
