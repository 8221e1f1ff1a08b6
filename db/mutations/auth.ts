import { verify } from "@node-rs/argon2";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import { withContext } from "../context";
import { loginAttempts, sessions, users } from "../schema";
import { ARGON2_OPTIONS } from "./users";

export const LOGIN_LIMITS = { perEmail: 5, perAddress: 50, windowMinutes: 15 };
export const SESSION_LIMITS = { absoluteHours: 12, idleMinutes: 30 };

// A real argon2id hash of a random string: unknown emails are verified against it so they take as long.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$eJoheMChkoQVeTHcAOjCfA$xRzifc0Q2NTLFaCUie9TJ6SqkxscZLTXElUShJY1t+A";

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string }; sessionId: string }
  | { ok: false; reason: "invalid" | "rate_limited" };

async function overLimit(database: Database, keys: { key: string; max: number }[]) {
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

async function recordFailure(database: Database, keys: string[]) {
  for (const key of keys) {
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

/**
 * Verifies a password with argon2id, rate-limited per email and per address (counters in PostgreSQL, so
 * every app instance shares them), and opens a server-side session row on success.
 */
export async function login(
  database: Database,
  input: { email: string; password: string; ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const keys = [
    { key: `email:${email}`, max: LOGIN_LIMITS.perEmail },
    { key: `ip:${input.ip ?? "unknown"}`, max: LOGIN_LIMITS.perAddress },
  ];
  if (await overLimit(database, keys)) return { ok: false, reason: "rate_limited" };
  const [user] = await database
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      passwordHash: users.passwordHash,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.email, email));
  const valid = await verify(user?.passwordHash ?? DUMMY_HASH, input.password, ARGON2_OPTIONS).catch(
    () => false,
  );
  if (!user || !valid || user.disabledAt) {
    await recordFailure(
      database,
      keys.map((k) => k.key),
    );
    return { ok: false, reason: "invalid" };
  }
  await database.delete(loginAttempts).where(eq(loginAttempts.key, `email:${email}`));
  const sessionId = await withContext(
    { userId: user.id },
    async (tx) => {
      const [row] = await tx
        .insert(sessions)
        .values({
          userId: user.id,
          expiresAt: sql`now() + make_interval(hours => ${SESSION_LIMITS.absoluteHours})`,
          ipAddress: input.ip ?? null,
          userAgent: input.userAgent ?? null,
        })
        .returning({ id: sessions.id });
      return row.id;
    },
    database,
  );
  return { ok: true, user: { id: user.id, email: user.email, name: user.name }, sessionId };
}

/** A session is live if not revoked, not past its absolute expiry, and used within the idle timeout. */
export async function touchSession(database: Database, userId: string, sessionId: string): Promise<boolean> {
  return withContext(
    { userId },
    async (tx) => {
      const [row] = await tx
        .update(sessions)
        .set({ lastSeenAt: sql`now()` })
        .where(
          and(
            eq(sessions.id, sessionId),
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, sql`now()`),
            gt(sessions.lastSeenAt, sql`now() - make_interval(mins => ${SESSION_LIMITS.idleMinutes})`),
          ),
        )
        .returning({ id: sessions.id });
      const [user] = row
        ? await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId))
        : [undefined];
      return Boolean(row && user && !user.disabledAt);
    },
    database,
  );
}

export async function revokeSession(database: Database, userId: string, sessionId: string) {
  await withContext(
    { userId },
    (tx) =>
      tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt))),
    database,
  );
}
