// Starts Ringbearer for the end-to-end tests on a fresh embedded database in .data/e2e (wiped first).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

const dataDir = ".data/e2e";
rmSync(dataDir, { recursive: true, force: true });
const env = {
  ...process.env,
  RINGBEARER_DATA_DIR: dataDir,
  RINGBEARER_PG_PORT: process.env.E2E_PG_PORT ?? "54400",
  // Deterministic on any day: no weekly window (the wedding-hours spec makes its own blackout).
  RINGBEARER_SEED_WEDDING_WINDOW: "false",
  // The specs' target receivers listen on loopback, which the outbound policy refuses unless opened.
  RINGBEARER_OUTBOUND_ALLOW: "127.0.0.1,::1,localhost",
  // Open sign-up, so e2e/organizations.spec.ts creates accounts as a new supplier would.
  RINGBEARER_SIGNUP: "open",
  // Stripe's API for integration health checks: the fake e2e/integrations.spec.ts starts on this fixed port.
  RINGBEARER_STRIPE_API_URL: "http://127.0.0.1:47811",
};
delete env.DATABASE_URL;
delete env.DATABASE_OWNER_URL;
delete env.DATABASE_MONITOR_URL;
delete env.RINGBEARER_MASTER_KEY;
delete env.NEXTAUTH_SECRET;
delete env.NEXTAUTH_URL;
const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.mts"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
// The start script stops by itself when this process dies, even by kill -9 (it watches its parent).
