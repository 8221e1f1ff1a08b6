import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { sessionTimeouts } from "@/lib/db/session-timeouts";
import * as schema from "./schema";

/** Seconds before a closed connection of the pool tries again: 0.1, 0.2, 0.4, 0.8, then every second. */
export const reconnectDelaySeconds = (attempts: number) => Math.min(0.1 * 2 ** Math.max(0, attempts - 1), 1);

/**
 * A pool as the app uses it. Every connection starts with the session timeouts of lib/db/session-timeouts.ts
 * (RINGBEARER_DB_* variables), so a statement, an idle transaction or a vanished client cannot hold locks for
 * long. The driver is postgres.js with patches/postgres+3.4.9.patch: without it a connection cut while a
 * write was pending never connected again (docs/operations.md, "Database restarts and timeouts").
 */
export function createDb(url: string, options: { max?: number } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    // The driver's default waits up to 20 s (growing with every failed attempt, shared by the pool) before a
    // connection tries again: after an outage, pages kept waiting that long after the database was back.
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: "ringbearer", ...sessionTimeouts(process.env) },
  });
  return drizzle({ client, schema, casing: "snake_case" });
}

export type Database = ReturnType<typeof createDb>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const holder = globalThis as unknown as { ringbearerDb?: Database };

/** The app's pool, connected as the app role (DATABASE_URL); created on first use. */
export function getDb(): Database {
  if (!holder.ringbearerDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    holder.ringbearerDb = createDb(url);
  }
  return holder.ringbearerDb;
}
