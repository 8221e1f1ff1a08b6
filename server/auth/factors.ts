import { hash } from "@node-rs/argon2";
import type { Database, Tx } from "@/db/client";
import type { RequestContext } from "@/db/context";
import { markSessionVerified } from "@/db/repos/sessions";
import { consumeTotpStep, ownFactors, passwordCheck, passwordParams } from "@/db/repos/users";
import { DecryptionError, openTotp } from "@/db/vault";
import { parseHashPrefix } from "@/lib/password";
import { checkTotp } from "@/lib/totp";

type Db = Database | Tx;

/** Who a password proved: what sign-in and step-up need — never the hash, which stays in PostgreSQL. */
export type PasswordHolder = {
  id: string;
  email: string;
  name: string;
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
};

/**
 * The typed password hashed with the parameters and salt that password_params (SECURITY DEFINER) gives for
 * the email: the stored hash's, or made-up, stable ones for an email without an account — so both cost one
 * argon2id computation, and the result can serve as a new account's hash. Null if the stored hash is not an
 * argon2id hash this app can recompute (it then matches no password).
 */
export async function passwordCandidate(db: Db, email: string, password: string): Promise<string | null> {
  const params = await passwordParams(db, email.trim().toLowerCase());
  const parsed = params ? parseHashPrefix(params.prefix, Number(params.digest_chars)) : null;
  return parsed ? hash(password, parsed) : null;
}

/** The enabled user whose stored hash equals `candidate` (compared by password_check, in the database). */
export async function verifyCandidate(
  db: Db,
  email: string,
  candidate: string,
): Promise<PasswordHolder | null> {
  const row = await passwordCheck(db, email.trim().toLowerCase(), candidate);
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    totpSecret: row.totp_secret,
    totpEnabledAt: row.totp_enabled_at ? new Date(row.totp_enabled_at) : null,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  };
}

/**
 * Checks a password without the hash leaving PostgreSQL (lib/password.ts): the user it proves, or null.
 */
export async function verifyPassword(
  db: Db,
  email: string,
  password: string,
): Promise<PasswordHolder | null> {
  const candidate = await passwordCandidate(db, email, password);
  return candidate ? verifyCandidate(db, email, candidate) : null;
}

/**
 * The signed-in user's own second factor (inside their request context: RLS shows a user only themselves
 * and their organizations' members, and the sealed secret comes from my_totp_secret()). Never a hash.
 */
export async function factorsOf(tx: Tx, userId: string) {
  return ownFactors(tx, userId);
}

/**
 * Checks a TOTP code (±1 step) and consumes its time step: the conditional update succeeds only if the step
 * is later than the last one accepted, so a code works once, even when two requests race with it. Runs in
 * the user's own request context (RLS lets a user update only their own row).
 */
export async function consumeTotpCode(
  db: Tx,
  user: { id: string; totpSecret: string | null; totpLastStep: number | null },
  code: string,
): Promise<boolean> {
  if (!user.totpSecret) return false;
  let secret: string;
  try {
    secret = openTotp(user.id, user.totpSecret);
  } catch (error) {
    // Sealed for another user, or under another master key: no code can match it (fail closed).
    if (error instanceof DecryptionError) return false;
    throw error;
  }
  const check = await checkTotp(secret, code, { afterStep: user.totpLastStep });
  if (!check.ok) return false;
  return consumeTotpStep(db, user.id, check.step);
}

/** The caller's session has just proved who it is (and, with a code, its second factor). */
export async function markVerified(tx: Tx, ctx: RequestContext, withCode: boolean) {
  if (!ctx.sessionId) return;
  await markSessionVerified(tx, ctx.userId, ctx.sessionId, withCode);
}
