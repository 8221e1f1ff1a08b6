import "server-only";
import postgres from "postgres";
import { log } from "./log";

export type LiveEvent = {
  org: string;
  kind: "values" | "audit" | "drift" | "sync" | "change_requests";
  count: number;
  [key: string]: unknown;
};
type Listener = (event: LiveEvent) => void;

const state = globalThis as unknown as { ringbearerLive?: { listeners: Set<Listener>; started: boolean } };

/**
 * One LISTEN connection per server process on `ringbearer_changes` (postgres.js reconnects and re-listens
 * by itself); events fan out to the SSE streams of the organization they belong to.
 */
export function subscribe(listener: Listener): () => void {
  state.ringbearerLive ??= { listeners: new Set(), started: false };
  const live = state.ringbearerLive;
  live.listeners.add(listener);
  if (!live.started && process.env.DATABASE_URL) {
    live.started = true;
    const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    sql
      .listen("ringbearer_changes", (payload) => {
        try {
          const event = JSON.parse(payload) as LiveEvent;
          for (const l of live.listeners) l(event);
        } catch (error) {
          log.warn({ err: error }, "ignored a malformed change notification");
        }
      })
      .catch((error) => {
        live.started = false;
        log.error({ err: error }, "could not LISTEN for live updates");
      });
  }
  return () => live.listeners.delete(listener);
}
