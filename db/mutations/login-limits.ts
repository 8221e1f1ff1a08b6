import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { loginAttempts } from "../schema";

/**
 * Failed sign-ins, wrong authentication codes and failed re-authentications, counted in PostgreSQL (shared by
 * every app instance) per email and per address in a fixed window. Written outside the caller's transaction
 * (the `database`, not a `tx`) so a refused attempt is still counted when the request rolls back.
 */
export const LOGIN_LIMITS = { perEmail: 5, perAddress: 50, windowMinutes: 15 };

export type LimitKey = { key: string; max: number };

export const limitKeys = (email: string, ip: string | undefined): LimitKey[] => [
  { key: `email:${email.trim().toLowerCase()}`, max: LOGIN_LIMITS.perEmail },
  { key: `ip:${ip ?? "unknown"}`, max: LOGIN_LIMITS.perAddress },
];

export async function overLimit(database: Database, keys: LimitKey[]) {
  const rows = await database
    .select({ key: loginAttempts.key, failures: loginAttempts.failures })
    .from(loginAttempts)
    .where(
      and(
        sql`${loginAttempts.key} in ${keys.map((k) => k.key)}`,
        gt(loginAttempts.windowStart, sql`now() - make_interval(mins => ${LOGIN_LIMITS.windowMinutes})`),
      ),
    );
  return rows.some((r) => r.failures >= (keys.find((k) => k.key === r.key)?.max ?? 0));
}

export async function recordFailure(database: Database, keys: LimitKey[]) {
  for (const { key } of keys) {
    await database
      .insert(loginAttempts)
      .values({ key, windowStart: sql`now()`, failures: 1 })
      .onConflictDoUpdate({
        target: loginAttempts.key,
        set: {
          failures: sql`case when ${loginAttempts.windowStart} > now() - make_interval(mins => ${LOGIN_LIMITS.windowMinutes}) then ${loginAttempts.failures} + 1 else 1 end`,
          windowStart: sql`case when ${loginAttempts.windowStart} > now() - make_interval(mins => ${LOGIN_LIMITS.windowMinutes}) then ${loginAttempts.windowStart} else now() end`,
        },
      });
  }
}

/** After a success, the email's counter starts again (the address's keeps counting other accounts). */
export async function clearFailures(database: Database, keys: LimitKey[]) {
  await database.delete(loginAttempts).where(eq(loginAttempts.key, keys[0].key));
}
