import { RateLimiterDrizzle } from "rate-limiter-flexible";
import type { Database } from "@/db/client";
import { rateLimits } from "@/db/schema";

/**
 * Counters in PostgreSQL through rate-limiter-flexible's Drizzle store (`rate_limits`: one row per key with
 * the points used and when its window ends). Each change is one atomic upsert, so every app instance shares
 * the counts and concurrent requests cannot both take the last point. Written through the pool (the
 * `database`, not a `tx`), so a refused attempt stays counted when the request's transaction rolls back.
 */
const limiters = new WeakMap<Database, Map<string, RateLimiterDrizzle>>();

/** One limiter per database, window and size (the store keeps the counts; this only holds settings). */
export function limiterFor(database: Database, points: number, durationSeconds: number, prefix: string) {
  let byShape = limiters.get(database);
  if (!byShape) {
    byShape = new Map();
    limiters.set(database, byShape);
  }
  const shape = `${prefix}:${points}:${durationSeconds}`;
  let limiter = byShape.get(shape);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: database,
      schema: rateLimits,
      points,
      duration: durationSeconds,
      keyPrefix: prefix,
    });
    byShape.set(shape, limiter);
  }
  return limiter;
}
