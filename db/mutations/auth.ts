import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import { withContext } from "../context";
import { sessions, users } from "../schema";
import { consumeTotpCode, passwordMatches } from "./factors";
import { clearFailures, limitKeys, overLimit, recordFailure } from "./login-limits";

export { LOGIN_LIMITS } from "./login-limits";
export const SESSION_LIMITS = { absoluteHours: 12, idleMinutes: 30 };

// A real argon2id hash of a random string: unknown emails are verified against it so they take as long.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$eJoheMChkoQVeTHcAOjCfA$xRzifc0Q2NTLFaCUie9TJ6SqkxscZLTXElUShJY1t+A";

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string }; sessionId: string; mfa: boolean }
  | { ok: false; reason: "invalid" | "rate_limited" | "totp_required" | "totp_invalid" };

/**
 * Verifies a password with argon2id and, for a user with two-factor authentication on, a single-use TOTP
 * code; rate-limited per email and per address (counters in PostgreSQL, so every app instance shares them);
 * opens a server-side session row on success. A wrong password or a wrong (or replayed) code counts as a
 * failure; a missing code after the right password does not (the form then asks for it).
 */
export async function login(
  database: Database,
  input: { email: string; password: string; totp?: string; ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const keys = limitKeys(email, input.ip);
  if (await overLimit(database, keys)) return { ok: false, reason: "rate_limited" };
  const [user] = await database
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      passwordHash: users.passwordHash,
      disabledAt: users.disabledAt,
      totpSecret: users.totpSecret,
      totpEnabledAt: users.totpEnabledAt,
      totpLastStep: users.totpLastStep,
    })
    .from(users)
    .where(eq(users.email, email));
  const valid = await passwordMatches(user?.passwordHash ?? DUMMY_HASH, input.password);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(database, keys);
    return { ok: false, reason: "invalid" };
  }
  const mfa = Boolean(user.totpEnabledAt);
  if (mfa) {
    if (!input.totp?.trim()) return { ok: false, reason: "totp_required" };
    if (!(await consumeTotpCode(database, user, input.totp))) {
      await recordFailure(database, keys);
      return { ok: false, reason: "totp_invalid" };
    }
  }
  await clearFailures(database, keys);
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
          mfa,
        })
        .returning({ id: sessions.id });
      return row.id;
    },
    database,
  );
  return { ok: true, user: { id: user.id, email: user.email, name: user.name }, sessionId, mfa };
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
