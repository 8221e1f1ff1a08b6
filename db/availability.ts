import { databaseErrorCode, isDatabaseUnavailable } from "./errors";

/**
 * What requests through the app's pool see of the database, per process: when one last failed to reach it
 * and when one last got through. /api/health and the console's pages (proxy.ts) read it, so neither says
 * "ok" while the requests of this instance fail.
 */
type State = { lastFailureAt: number; lastSuccessAt: number; lastFailureCode: string };

const holder = globalThis as unknown as { ringbearerAvailability?: State };
const state = (): State => {
  holder.ringbearerAvailability ??= { lastFailureAt: 0, lastSuccessAt: 0, lastFailureCode: "" };
  return holder.ringbearerAvailability;
};

/** How long a failure that no success followed keeps the database reported unavailable without a request. */
export const FAILURE_MEMORY_MS = 10_000;

/**
 * Records how a use of the pool that started at `startedAt` ended; only failures to reach the database count
 * as failures. A success clears only the failures recorded before it started: a request that failed while it
 * ran (another, broken connection of the pool) still counts.
 */
export function noteDatabaseOutcome(error?: unknown, startedAt = Date.now()) {
  const s = state();
  if (error !== undefined) {
    if (isDatabaseUnavailable(error)) {
      s.lastFailureAt = Date.now();
      s.lastFailureCode = databaseErrorCode(error);
    }
  } else if (s.lastFailureAt < startedAt) s.lastSuccessAt = Date.now();
}

/** True while the latest request through the pool failed to reach the database (and not long ago). */
export function databaseFailing(now = Date.now()): boolean {
  const s = state();
  return s.lastFailureAt > s.lastSuccessAt && now - s.lastFailureAt < FAILURE_MEMORY_MS;
}

/** What the last failure was and how long ago, for the log line of a failed health check. */
export function lastDatabaseFailure(now = Date.now()): { code: string; agoMs: number } | undefined {
  const s = state();
  return s.lastFailureAt === 0 ? undefined : { code: s.lastFailureCode, agoMs: now - s.lastFailureAt };
}
