import { RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { limiterFor } from "@/db/repos/rate-limits";

export { limiterFor };

/**
 * Limits on counters in PostgreSQL (db/repos/rate-limits.ts: shared by every app instance, written through the
 * pool so a refused attempt stays counted when the request's transaction rolls back). Keys are namespaced by
 * their caller, e.g. `invite:<address>`.
 */
export type Limit = { key: string; max: number; windowMinutes: number };

/** Invitation pages and their actions: unknown or malformed tokens per address. */
export const inviteLimit = (ip: string | undefined): Limit => ({
  key: `invite:${ip ?? "unknown"}`,
  max: 20,
  windowMinutes: 15,
});

/** Open sign-up: accounts created (or tried) per address. */
export const signupLimit = (ip: string | undefined): Limit => ({
  key: `signup:${ip ?? "unknown"}`,
  max: 10,
  windowMinutes: 60,
});

/** Organizations a signed-in person adds: at most 10 an hour (each one has its own keys and environments). */
export const newOrganizationLimit = (userId: string): Limit => ({
  key: `new-organization:${userId}`,
  max: 10,
  windowMinutes: 60,
});

/**
 * Sealed values exports a person tries: at most 10 an hour (each decrypts every value and derives its key with
 * 128 MiB of scrypt: many at once would be a way to exhaust the server's memory; a try answered with a step-up
 * and tried again counts twice).
 */
export const valuesExportLimit = (userId: string): Limit => ({
  key: `values-export:${userId}`,
  max: 10,
  windowMinutes: 60,
});

const limiterOf = (database: Database, limit: Limit) =>
  limiterFor(database, limit.max, limit.windowMinutes * 60, `${limit.windowMinutes}m`);

export async function isLimited(database: Database, limit: Limit): Promise<boolean> {
  const res = await limiterOf(database, limit).get(limit.key);
  return (res?.consumedPoints ?? 0) >= limit.max;
}

export async function recordFailure(database: Database, limit: Limit): Promise<void> {
  await limiterOf(database, limit).penalty(limit.key, 1);
}

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Takes one point before the attempt is evaluated (atomic): refused when the window's points are used up,
 * and then the point is given back. Pair with `release` when the attempt should not count.
 */
export async function reserve(database: Database, limit: Limit): Promise<Reservation> {
  const limiter = limiterOf(database, limit);
  try {
    await limiter.consume(limit.key, 1);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    await release(database, limit);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  }
}

/** Gives a reserved point back (never below zero: a window that ended meanwhile is removed instead). */
export async function release(database: Database, limit: Limit): Promise<void> {
  const limiter = limiterOf(database, limit);
  const res = await limiter.reward(limit.key, 1);
  if (res.consumedPoints < 0) await limiter.delete(limit.key);
}

/** Starts the key's count again (e.g. after a successful sign-in). */
export async function clearLimit(database: Database, limit: Limit): Promise<void> {
  await limiterOf(database, limit).delete(limit.key);
}
