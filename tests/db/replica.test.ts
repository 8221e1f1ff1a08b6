/**
 * Machine reads on a streaming replica (issue 17, item 6; db/replica.ts). A throwaway PostgreSQL 15 cluster and a
 * hot standby made from it with pg_basebackup: a token's read goes to the replica while it is fresh; right after a
 * write the writer reads what it wrote; a replica that is stopped, or paused past the bound, is not read from —
 * the primary answers, and no read returns data older than the bound.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "@/db/client";
import { throwawayDatabase } from "../../scripts/throwaway-db.mts";

const BIN = "/usr/lib/postgresql/15/bin";
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync("runuser", ["-u", "postgres", "--", path.join(BIN, cmd), ...args], { stdio: "pipe" })
    : execFileSync(path.join(BIN, cmd), args, { stdio: "pipe" });

const dir = mkdtempSync(path.join(os.tmpdir(), "rb-replica-"));
const PRIMARY = 55000 + Math.floor(Math.random() * 2000);
const REPLICA = PRIMARY + 2000;
const holder = globalThis as unknown as { ringbearerDb?: Database };
const saved = { db: holder.ringbearerDb, url: process.env.DATABASE_URL };
let replicaUrl: string;
let superReplica: postgres.Sql;
let superPrimary: postgres.Sql;
let dbName: string;

const start = (data: string, port: number) =>
  asPostgres("pg_ctl", ["-D", data, "-o", `-p ${port}`, "-l", path.join(dir, `${port}.log`), "-w", "start"]);
const stop = (data: string) => asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);

/** Transactions the replica's app database has committed: grows when a read ran there. */
const replicaCommits = async () => {
  const [row] = await superReplica<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = ${dbName}`;
  await superReplica`select pg_stat_clear_snapshot()`;
  return Number(row.n);
};

beforeAll(async () => {
  chmodSync(dir, 0o777);
  asPostgres("initdb", ["-D", path.join(dir, "primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  await appendFile(
    path.join(dir, "primary", "postgresql.conf"),
    `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nwal_level = replica\nmax_wal_senders = 4\nfsync = off\n`,
  );
  start(path.join(dir, "primary"), PRIMARY);
  const adminUrl = `postgres://postgres@127.0.0.1:${PRIMARY}/postgres`;
  const db = await throwawayDatabase({ adminUrl, prefix: "rb_replica", masterKey: inject("masterKey") });
  dbName = new URL(db.databaseUrl).pathname.slice(1);
  asPostgres("pg_basebackup", [
    "-D",
    path.join(dir, "replica"),
    "-R",
    "-X",
    "stream",
    // An immediate checkpoint (the default spreads it over minutes).
    "-c",
    "fast",
    "-h",
    "127.0.0.1",
    "-p",
    String(PRIMARY),
    "-U",
    "postgres",
  ]);
  start(path.join(dir, "replica"), REPLICA);
  replicaUrl = db.databaseUrl.replace(`:${PRIMARY}/`, `:${REPLICA}/`);
  superPrimary = postgres(db.superUrl, { max: 1, onnotice: () => {} });
  superReplica = postgres(db.superUrl.replace(`:${PRIMARY}/`, `:${REPLICA}/`), {
    max: 1,
    onnotice: () => {},
  });
  // The process's one LISTEN connection (server/live.ts) stays on the suite's database for the files after this
  // one: started now, before the pool moves.
  const { subscribe } = await import("@/server/live");
  subscribe(() => {});
  // The app's pool for this file: the throwaway primary; reads may go to its replica, fresh within one second.
  holder.ringbearerDb = undefined;
  process.env.DATABASE_URL = db.databaseUrl;
  process.env.DATABASE_REPLICA_URL = replicaUrl;
  process.env.RINGBEARER_REPLICA_MAX_LAG_SECONDS = "1";
  const { resetReplica } = await import("@/db/replica");
  await resetReplica();
}, 180_000);

afterAll(async () => {
  const { resetReplica } = await import("@/db/replica");
  await holder.ringbearerDb?.$client.end({ timeout: 5 });
  holder.ringbearerDb = saved.db;
  process.env.DATABASE_URL = saved.url;
  delete process.env.DATABASE_REPLICA_URL;
  delete process.env.RINGBEARER_REPLICA_MAX_LAG_SECONDS;
  await resetReplica();
  await superPrimary?.end({ timeout: 5 });
  await superReplica?.end({ timeout: 5 }).catch(() => {});
  for (const data of ["replica", "primary"]) {
    try {
      stop(path.join(dir, data));
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("machine reads on a streaming replica", () => {
  it("go to a fresh replica, read the writer's own writes at once, and fall back to the primary when it is stopped or behind", async () => {
    const { getDb } = await import("@/db/client");
    const { withContext } = await import("@/db/context");
    const { createUser } = await import("@/server/auth/users");
    const { createOrganization } = await import("@/server/organizations/organizations");
    const { createVariable } = await import("@/server/variables/variables");
    const { setValue } = await import("@/server/values/values");
    const { createServiceToken, authenticateServiceToken } = await import("@/server/tokens/service-tokens");
    const { environmentValues } = await import("@/server/api/reads");
    const { oneValue } = await import("@/server/api/listing");
    const { apiDrift, apiHealth } = await import("@/server/api/status");
    const { serviceTokenInput } = await import("@/lib/validation/tokens");
    const { replicaStaleness, forgetWrites } = await import("@/db/replica");

    const owner = await createUser(getDb(), {
      email: "replica-owner@test.example",
      name: "Owner",
      password: "a long password 1",
    });
    const org = await createOrganization(getDb(), {
      slug: "replica",
      name: "Replica",
      timeZone: "UTC",
      ownerId: owner.id,
      defaultWindow: false,
    });
    const ctx = { userId: owner.id, organizationId: org.id, role: "owner" as const };
    const { variable, environmentId, token } = await withContext(ctx, async (tx) => {
      const v = await createVariable(tx, ctx, {
        name: "FEATURE_GREETING",
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      });
      const [env] = await tx.execute<{ id: string }>(
        sql`select id from environments where name = 'development'`,
      );
      const t = await createServiceToken(
        tx,
        ctx,
        serviceTokenInput.parse({ name: "reader", environments: ["development"], access: "read" }),
      );
      return { variable: v, environmentId: env.id, token: t.token };
    });
    const caller = async () => ({
      kind: "token" as const,
      token: await authenticateServiceToken(getDb(), token, null),
    });
    const read = async () =>
      (await environmentValues(await caller(), "development", "dotenv")).body?.match(
        /FEATURE_GREETING=["']?([^"'\n]*)/,
      )?.[1];
    let version = 0;
    const write = (value: string) =>
      withContext(ctx, (tx) =>
        setValue(tx, ctx, { variableId: variable.id, environmentId, value, expectedVersion: version++ }),
      );

    await write("hello");
    // Fresh and holding the write: reads run on the replica.
    await new Promise((r) => setTimeout(r, 1200));
    let before = await replicaCommits();
    for (let i = 0; i < 3; i++) expect(await read()).toBe("hello");
    expect(await replicaCommits()).toBeGreaterThan(before);
    // The other machine reads and the reports a pipeline pulls (one value, the variables, health, drift) go there
    // too. Proof: with replay paused and a bound of a minute, they answer what the replica holds, not the primary.
    const { listApiVariables } = await import("@/server/api/variables");
    const healthBefore = await apiHealth(await caller(), "development");
    process.env.RINGBEARER_REPLICA_MAX_LAG_SECONDS = "60";
    await superReplica`select pg_wal_replay_pause()`;
    await write("newer");
    await withContext(ctx, (tx) =>
      createVariable(tx, ctx, {
        name: "NEW_REQUIRED",
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: true,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    forgetWrites();
    expect((await oneValue(await caller(), "development", "FEATURE_GREETING")).value).toBe("hello");
    const listed = await listApiVariables(await caller(), { limit: 50 });
    expect(listed.variables.map((v) => v.name)).toEqual(["FEATURE_GREETING"]);
    expect((await apiHealth(await caller(), "development")).missingVariables).toBe(
      healthBefore.missingVariables,
    );
    expect((await apiDrift(await caller(), "development")).drift).toEqual([]);
    await superReplica`select pg_wal_replay_resume()`;
    process.env.RINGBEARER_REPLICA_MAX_LAG_SECONDS = "1";
    await new Promise((r) => setTimeout(r, 1500));
    expect((await listApiVariables(await caller(), { limit: 50 })).variables.map((v) => v.name)).toEqual([
      "FEATURE_GREETING",
      "NEW_REQUIRED",
    ]);
    expect((await apiHealth(await caller(), "development")).missingVariables).toBe(
      healthBefore.missingVariables + 1,
    );

    // Read-your-writes: with replay paused, the replica is still within the bound for a second, yet the writer's
    // next read returns what it wrote.
    await superReplica`select pg_wal_replay_pause()`;
    await write("mine");
    expect(await read()).toBe("mine");

    // Behind: a write by another instance (this one forgets it wrote). Once the bound has passed, no read returns
    // the replica's old value.
    await write("theirs");
    forgetWrites();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await replicaStaleness()).toBeGreaterThan(1);
    expect(await read()).toBe("theirs");

    // Caught up again: back to the replica.
    await superReplica`select pg_wal_replay_resume()`;
    await new Promise((r) => setTimeout(r, 1500));
    before = await replicaCommits();
    expect(await read()).toBe("theirs");
    expect(await replicaCommits()).toBeGreaterThan(before);

    // Stopped: the primary answers.
    stop(path.join(dir, "replica"));
    await write("replica-down");
    forgetWrites();
    expect(await read()).toBe("replica-down");
    await new Promise((r) => setTimeout(r, 1200));
    expect(await replicaStaleness()).toBe(Number.POSITIVE_INFINITY);
    expect(await read()).toBe("replica-down");
  }, 120_000);
});
