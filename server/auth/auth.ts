import type { Database } from "@/db/client";
import { withContext } from "@/db/context";
import { insertSession, revokeSessionRow, touchLiveSession } from "@/db/repos/sessions";
import { userDisabledAt } from "@/db/repos/users";
import { consumeTotpCode, verifyPassword } from "@/server/auth/factors";
import { throttled } from "@/server/auth/login-limits";

export { LOGIN_LIMITS } from "@/server/auth/login-limits";
export const SESSION_LIMITS = { absoluteHours: 12, idleMinutes: 30 };

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string }; sessionId: string; mfa: boolean }
  | { ok: false; reason: "invalid" | "rate_limited" | "totp_required" | "totp_invalid" };

/**
 * Verifies a password with argon2id (the hash never leaves PostgreSQL: see verifyPassword; an unknown email
 * costs the same) and, for a user with two-factor authentication on, a single-use TOTP code; throttled per
 * account and address, per address and per account with backoff (login-limits.ts, counters in PostgreSQL
 * shared by every instance, each point taken before the password is evaluated); opens a server-side session
 * row on success. A wrong password or a wrong (or replayed) code counts as a failure; a missing code after
 * the right password does not (the form then asks for it).
 */
export async function login(
  database: Database,
  input: { email: string; password: string; totp?: string; ip?: string; userAgent?: string },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const result = await throttled<LoginResult>(database, { account: email, address: input.ip }, async () => {
    const user = await verifyPassword(database, email, input.password);
    if (!user) return { outcome: "failure", value: { ok: false, reason: "invalid" } };
    const mfa = Boolean(user.totpEnabledAt);
    return withContext(
      { userId: user.id, ip: input.ip, userAgent: input.userAgent },
      async (tx) => {
        if (mfa) {
          if (!input.totp?.trim())
            return {
              outcome: "neutral" as const,
              value: { ok: false as const, reason: "totp_required" as const },
            };
          if (!(await consumeTotpCode(tx, user, input.totp)))
            return {
              outcome: "failure" as const,
              value: { ok: false as const, reason: "totp_invalid" as const },
            };
        }
        const sessionId = await insertSession(tx, {
          userId: user.id,
          hours: SESSION_LIMITS.absoluteHours,
          ipAddress: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          mfa,
        });
        return {
          outcome: "success" as const,
          value: {
            ok: true as const,
            user: { id: user.id, email: user.email, name: user.name },
            sessionId,
            mfa,
          },
        };
      },
      database,
    );
  });
  return result.limited ? { ok: false, reason: "rate_limited" } : result.value;
}

/** A session is live if not revoked, not past its absolute expiry, and used within the idle timeout. */
export async function touchSession(database: Database, userId: string, sessionId: string): Promise<boolean> {
  return withContext(
    { userId },
    async (tx) => {
      const live = await touchLiveSession(tx, userId, sessionId, SESSION_LIMITS.idleMinutes);
      const user = live ? await userDisabledAt(tx, userId) : undefined;
      return Boolean(live && user && !user.disabledAt);
    },
    database,
  );
}

export async function revokeSession(database: Database, userId: string, sessionId: string) {
  await withContext({ userId }, (tx) => revokeSessionRow(tx, sessionId), database);
}
