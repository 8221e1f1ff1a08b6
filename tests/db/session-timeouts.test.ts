/**
 * Issue 12, finding 3: an instance that dies or stalls inside a transaction must not hold its locks for long.
 * A real client of the app's pool (tests/support/lock-holder.mts, a separate process using db/client.ts) locks a
 * row; then it idles, is killed mid-statement, or runs a statement that never ends. Another transaction must
 * get the row within the configured seconds (RINGBEARER_DB_* variables, here set small).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/db/client";
import { rawSql } from "./support";

const table = `rb_locks.t_${randomBytes(4).toString("hex")}`;
const appRole = decodeURIComponent(new URL(inject("databaseUrl")).username);
const holders: ChildProcess[] = [];

/** Starts a lock holder with these timeouts (seconds) and resolves once it holds the row, with its output. */
async function holdLock(mode: "idle" | "sleep", timeouts: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/lock-holder.mts", mode, table], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ...timeouts },
    stdio: ["ignore", "pipe", "pipe"],
  });
  holders.push(child);
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes("locked")) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the lock holder did not lock:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output };
}

/** Seconds until another transaction gets the row (it gives up after 10 s: lock_timeout). */
async function secondsUntilFree(): Promise<number | string> {
  const sql = rawSql("super");
  const started = Date.now();
  try {
    await sql.begin(async (tx) => {
      await tx`set local lock_timeout = '10s'`;
      await tx.unsafe(`select id from ${table} where id = 1 for update`);
    });
    return (Date.now() - started) / 1000;
  } catch (error) {
    return `not free after ${(Date.now() - started) / 1000} s: ${(error as Error).message}`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("a transaction whose client idles, stalls or dies does not keep its locks", () => {
  beforeAll(async () => {
    const sql = rawSql("super");
    await sql.unsafe(`create schema if not exists rb_locks;
      create table ${table} (id int primary key); insert into ${table} values (1);
      grant usage on schema rb_locks to "${appRole}"; grant select, update on ${table} to "${appRole}"`);
    await sql.end();
  });
  afterAll(async () => {
    for (const child of holders) if (child.exitCode === null) child.kill("SIGKILL");
    const sql = rawSql("super");
    await sql.unsafe("drop schema if exists rb_locks cascade");
    await sql.end();
  });

  it("opens every connection with the documented defaults (60 s, 15 s, 5 s)", async () => {
    const db = createDb(inject("databaseUrl"), { max: 1 });
    const rows = await db.$client`select current_setting('statement_timeout') as statement,
      current_setting('idle_in_transaction_session_timeout') as idle,
      current_setting('client_connection_check_interval') as "check"`;
    await db.$client.end();
    expect(rows[0]).toEqual({ statement: "1min", idle: "15s", check: "5s" });
  });

  it("ends a transaction left idle after RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT", async () => {
    const holder = await holdLock("idle", { RINGBEARER_DB_IDLE_IN_TRANSACTION_TIMEOUT: "2" });
    const waited = await secondsUntilFree();
    expect(waited, holder.output()).toBeTypeOf("number");
    expect(waited).toBeLessThan(4.5);
  });

  it("ends the transaction of a client killed mid-statement within RINGBEARER_DB_CLIENT_CHECK_INTERVAL", async () => {
    const holder = await holdLock("sleep", {
      RINGBEARER_DB_CLIENT_CHECK_INTERVAL: "1",
      RINGBEARER_DB_STATEMENT_TIMEOUT: "0",
    });
    holder.child.kill("SIGKILL");
    const waited = await secondsUntilFree();
    expect(waited, holder.output()).toBeTypeOf("number");
    expect(waited).toBeLessThan(3);
  });

  it("cancels a statement that runs past RINGBEARER_DB_STATEMENT_TIMEOUT, and its transaction rolls back", async () => {
    const holder = await holdLock("sleep", {
      RINGBEARER_DB_STATEMENT_TIMEOUT: "2",
      RINGBEARER_DB_CLIENT_CHECK_INTERVAL: "0",
    });
    const waited = await secondsUntilFree();
    expect(waited, holder.output()).toBeTypeOf("number");
    expect(waited).toBeLessThan(4.5);
    await new Promise((r) => setTimeout(r, 200));
    expect(holder.output()).toContain("ended 57014");
  });
});
