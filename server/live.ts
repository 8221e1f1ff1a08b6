import "server-only";
import postgres from "postgres";
import { log } from "./log";

export type LiveEvent = {
  /** The organization's id; `installation` for the operator console's own events (no organization's). */
  org: string;
  kind: "values" | "audit" | "drift" | "sync" | "change_requests" | "integrations" | "keys" | "ops_alerts";
  count: number;
  [key: string]: unknown;
};
type Listener = (event: LiveEvent) => void;

type LiveState = {
  listeners: Set<Listener>;
  started: boolean;
  /** The open event streams, each by the function that ends it. */
  streams: Set<() => void>;
  closing: boolean;
};
const state = globalThis as unknown as { ringbearerLive?: LiveState };

function live(): LiveState {
  state.ringbearerLive ??= { listeners: new Set(), started: false, streams: new Set(), closing: false };
  return state.ringbearerLive;
}

/**
 * One LISTEN connection per server process on `ringbearer_changes` (postgres.js reconnects and re-listens
 * by itself); events fan out to the SSE streams of the organization they belong to.
 */
export function subscribe(listener: Listener): () => void {
  const current = live();
  current.listeners.add(listener);
  if (!current.started && process.env.DATABASE_URL) {
    current.started = true;
    const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    sql
      .listen("ringbearer_changes", (payload) => {
        try {
          const event = JSON.parse(payload) as LiveEvent;
          for (const l of current.listeners) l(event);
        } catch (error) {
          log.warn({ err: error }, "ignored a malformed change notification");
        }
      })
      .catch((error) => {
        current.started = false;
        log.error({ err: error }, "could not LISTEN for live updates");
      });
  }
  return () => current.listeners.delete(listener);
}

/**
 * Registers an open event stream, ended by `end` when the server shuts down (SIGTERM or SIGINT): a stream
 * never ends by itself, and an HTTP server waits for its open responses before it exits (`next start` does,
 * for as long as a browser stays connected). A stream opened while shutting down is ended at once. Returns
 * the function that unregisters it.
 */
export function registerStream(end: () => void): () => void {
  const current = live();
  watchShutdown();
  if (current.closing) {
    queueMicrotask(end);
    return () => {};
  }
  current.streams.add(end);
  return () => current.streams.delete(end);
}

/** Ends every open event stream, and refuses new ones from now on. */
export function closeStreams() {
  const current = live();
  current.closing = true;
  for (const end of [...current.streams]) end();
  current.streams.clear();
}

const watching = globalThis as unknown as { ringbearerStreamsWatched?: boolean };
function watchShutdown() {
  if (watching.ringbearerStreamsWatched) return;
  watching.ringbearerStreamsWatched = true;
  // Alongside the server's own handlers (scripts/serve.mts, `next start`), which decide when to exit.
  process.once("SIGTERM", closeStreams);
  process.once("SIGINT", closeStreams);
}
