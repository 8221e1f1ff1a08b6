import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { loginAttempts } from "../schema";

/**
 * Failure counters in PostgreSQL (the login_attempts table sign-in uses, so every app instance shares
 * them), for public endpoints other than sign-in. Keys are namespaced, e.g. `invite:<address>`.
 */
export type Limit = { key: string; max: number; windowMinutes: number };

/** Invitation pages and their actions: unknown or malformed tokens per address. */
export const inviteLimit = (ip: string | undefined): Limit => ({
  key: `invite:${ip ?? "unknown"}`,
  max: 20,
  windowMinutes: 15,
});

export async function isLimited(database: Database, limit: Limit): Promise<boolean> {
  const [row] = await database
    .select({ failures: loginAttempts.failures })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.key, limit.key),
        gt(loginAttempts.windowStart, sql`now() - make_interval(mins => ${limit.windowMinutes})`),
      ),
    );
  return (row?.failures ?? 0) >= limit.max;
}

export async function recordFailure(database: Database, limit: Limit) {
  const live = sql`${loginAttempts.windowStart} > now() - make_interval(mins => ${limit.windowMinutes})`;
  await database
    .insert(loginAttempts)
    .values({ key: limit.key, windowStart: sql`now()`, failures: 1 })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`case when ${live} then ${loginAttempts.failures} + 1 else 1 end`,
        windowStart: sql`case when ${live} then ${loginAttempts.windowStart} else now() end`,
      },
    });
}
