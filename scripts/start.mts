/**
 * `npm start` (and `npm run dev` with --dev): prepares the database, builds if needed, serves on PORT,
 * and shuts the embedded database down cleanly on SIGINT/SIGTERM.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DEMO_PASSWORD, DEMO_USERS } from "@/db/seed";
import { prepare } from "./prepare.mts";

const dev = process.argv.includes("--dev");
const log = (m: string) => console.log(`[ringbearer] ${m}`);

let prepared: Awaited<ReturnType<typeof prepare>>;
try {
  prepared = await prepare({ seed: true, log });
} catch (error) {
  console.error(`[ringbearer] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { local, port } = prepared;

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
const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.mts", ...(dev ? ["--dev"] : [])], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, PORT: String(port) },
});
let announced = false;
server.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(chunk.toString())) {
    announced = true;
    const url = process.env.NEXTAUTH_URL;
    log(`Ringbearer is running at ${url}`);
    log(`Sign in at ${url}/login with one of (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) log(`  ${u.email.padEnd(22)} ${u.role}`);
  }
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping…`);
  server.kill("SIGTERM");
  await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once("exit", resolve)));
  await local?.stop();
  log("Stopped.");
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
server.on("exit", async (code) => {
  if (stopping) return;
  await local?.stop();
  process.exit(code ?? 1);
});
