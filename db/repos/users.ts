import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { users } from "@/db/schema";

/**
 * Accounts and their second factor. RLS shows the app role a user only in a request context that includes
 * them; the password hash is never read back (password_params and password_check compare it in PostgreSQL).
 */

type Db = Database | Tx;

/** Whether any account exists (any_user_exists, SECURITY DEFINER: RLS hides users outside a context). */
export async function anyUserExists(db: Db): Promise<boolean> {
  const [row] = await db.execute<{ exists: boolean }>(sql`select any_user_exists() as exists`);
  return row.exists;
}

/** Inserts an account (no RETURNING: the new row is not visible to the app role outside its own context). */
export async function insertUser(
  db: Db,
  values: { id: string; email: string; name: string; passwordHash: string },
) {
  await db.insert(users).values(values);
}

/** Inserts an account unless the email has one: whether it was created. */
export async function insertUserUnlessEmailTaken(
  tx: Tx,
  values: { id: string; email: string; name: string; passwordHash: string },
): Promise<boolean> {
  const created = await tx.insert(users).values(values).onConflictDoNothing({ target: users.email });
  return created.count !== 0;
}

export async function userEmail(tx: Tx, userId: string) {
  const [who] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return who?.email ?? null;
}

/** When the account was disabled (null while enabled); undefined when the caller cannot see it. */
export async function userDisabledAt(tx: Tx, userId: string) {
  const [user] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
  return user;
}

/** The hash parameters and salt of the email's stored hash, or stand-in ones (password_params). */
export async function passwordParams(db: Db, email: string) {
  const [params] = await db.execute<{ prefix: string; digest_chars: number }>(
    sql`select prefix, digest_chars from password_params(${email})`,
  );
  return params ?? null;
}

/** The enabled account whose stored hash equals `candidate` (password_check), with its second factor. */
export async function passwordCheck(db: Db, email: string, candidate: string) {
  const [row] = await db.execute<{
    id: string;
    email: string;
    name: string;
    totp_secret: string | null;
    totp_enabled_at: string | Date | null;
    totp_last_step: string | number | null;
  }>(
    sql`select id, email, name, totp_secret, totp_enabled_at, totp_last_step from password_check(${email}, ${candidate})`,
  );
  return row ?? null;
}

/** The user's own second factor (the sealed secret from my_totp_secret()). */
export async function ownFactors(tx: Tx, userId: string) {
  const [row] = await tx
    .select({
      email: users.email,
      totpEnabledAt: users.totpEnabledAt,
      totpLastStep: users.totpLastStep,
      disabledAt: users.disabledAt,
      totpSecret: sql<string | null>`my_totp_secret()`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/** Records `step` as the last TOTP step used, only if it is later than the last one: whether it was. */
export async function consumeTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const [row] = await tx
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return Boolean(row);
}

/** When the user turned two-factor authentication on (null while off); undefined when not visible. */
export async function totpEnabledAt(tx: Tx, userId: string) {
  const [row] = await tx.select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  return row;
}

/** Stores a new, not yet confirmed, sealed TOTP secret. */
export async function setPendingTotpSecret(tx: Tx, userId: string, sealed: string) {
  await tx.update(users).set({ totpSecret: sealed, totpLastStep: null }).where(eq(users.id, userId));
}

/** Turns the stored TOTP secret on from now: when. */
export async function enableTotp(tx: Tx, userId: string) {
  const [row] = await tx
    .update(users)
    .set({ totpEnabledAt: sql`now()` })
    .where(eq(users.id, userId))
    .returning({ enabledAt: users.totpEnabledAt });
  return row;
}

export async function clearTotp(tx: Tx, userId: string) {
  await tx
    .update(users)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where(eq(users.id, userId));
}
