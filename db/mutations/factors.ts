import { verify } from "@node-rs/argon2";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { DecryptionError } from "@/lib/crypto";
import { checkTotp, openTotpSecret } from "@/lib/totp";
import type { Database, Tx } from "../client";
import type { RequestContext } from "../context";
import { masterKey } from "../keyring";
import { sessions, users } from "../schema";
import { ARGON2_OPTIONS } from "./users";

type Db = Database | Tx;

/** What a user proves themselves with. Only for the server: never return this row to a client. */
export async function factorsOf(db: Db, userId: string) {
  const [row] = await db
    .select({
      email: users.email,
      passwordHash: users.passwordHash,
      totpSecret: users.totpSecret,
      totpEnabledAt: users.totpEnabledAt,
      totpLastStep: users.totpLastStep,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

export const passwordMatches = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password, ARGON2_OPTIONS).catch(() => false);

/**
 * Checks a TOTP code (±1 step) and consumes its time step: the conditional update succeeds only if the step
 * is later than the last one accepted, so a code works once, even when two requests race with it.
 */
export async function consumeTotpCode(
  db: Db,
  user: { id: string; totpSecret: string | null; totpLastStep: number | null },
  code: string,
): Promise<boolean> {
  if (!user.totpSecret) return false;
  let secret: string;
  try {
    secret = openTotpSecret(masterKey(), user.id, user.totpSecret);
  } catch (error) {
    // Sealed for another user, or under another master key: no code can match it (fail closed).
    if (error instanceof DecryptionError) return false;
    throw error;
  }
  const check = await checkTotp(secret, code, { afterStep: user.totpLastStep });
  if (!check.ok) return false;
  const [row] = await db
    .update(users)
    .set({ totpLastStep: check.step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, check.step))))
    .returning({ id: users.id });
  return Boolean(row);
}

/** The caller's session has just proved who it is (and, with a code, its second factor). */
export async function markVerified(tx: Tx, ctx: RequestContext, withCode: boolean) {
  if (!ctx.sessionId) return;
  await tx
    .update(sessions)
    .set({ verifiedAt: sql`now()`, ...(withCode ? { mfa: true } : {}) })
    .where(and(eq(sessions.id, ctx.sessionId), eq(sessions.userId, ctx.userId), isNull(sessions.revokedAt)));
}
