import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type Database, getDb } from "./client";

/**
 * The connection the operator console's monitoring queries use (issue 17): DATABASE_MONITOR_URL, a role with
 * `pg_monitor` (and `pg_signal_backend` for the guarded cancel), never a superuser — the embedded default and the
 * test databases set one up (scripts/local-db.mts). Without it the queries run as the app role and see less:
 * other roles' sessions and statements are hidden from it (docs/operations.md, "The operator console").
 */
export type MonitorConnection = { db: Database; dedicated: boolean };

const holder = globalThis as unknown as { ringbearerMonitor?: { url: string; db: Database } };

export function monitorConnection(): MonitorConnection {
  const url = process.env.DATABASE_MONITOR_URL;
  if (!url) return { db: getDb(), dedicated: false };
  if (holder.ringbearerMonitor?.url !== url) {
    void holder.ringbearerMonitor?.db.$client.end({ timeout: 5 }).catch(() => {});
    const client = postgres(url, {
      max: 2,
      idle_timeout: 30,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: "ringbearer-monitor", statement_timeout: 10_000 },
    });
    holder.ringbearerMonitor = { url, db: drizzle({ client, casing: "snake_case" }) as unknown as Database };
  }
  return { db: holder.ringbearerMonitor.db, dedicated: true };
}
