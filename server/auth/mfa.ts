import type { Database, Tx } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { clearTotp, enableTotp, setPendingTotpSecret, totpEnabledAt } from "@/db/repos/users";
import { sealTotp } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { newTotpSecret, totpUri } from "@/lib/totp";
import { consumeTotpCode, factorsOf, markVerified, verifyPassword } from "@/server/auth/factors";
import { throttled } from "@/server/auth/login-limits";
import { requireRecentAuth } from "@/server/auth/step-up";

/** A signed-in user acting on their own account (no organization): their session and where they are. */
export type UserContext = RequestContext & { sessionId: string };

const WRONG_CODE = "That code is not right, or it was already used. Enter the current code from your app.";
const WRONG_PASSWORD = "That password is not right.";

/** Whether two-factor authentication is on for the user, and since when. Never the secret. */
export async function mfaStatus(database: Database, userId: string) {
  const row = await withContext({ userId }, (tx) => totpEnabledAt(tx, userId), database);
  return { enabled: Boolean(row?.enabledAt), enabledAt: row?.enabledAt ?? null };
}

/**
 * Starts enrolment: a new secret, stored sealed under the master key (AAD = the user), not active until a
 * code confirms it. Returned once, to its owner, for their authenticator app. Changing how one signs in
 * needs a recent re-authentication.
 */
export async function beginTotpEnrolment(database: Database, ctx: UserContext) {
  return withContext(
    ctx,
    async (tx) => {
      await requireRecentAuth(tx, ctx);
      const factors = await factorsOf(tx, ctx.userId);
      if (factors?.totpEnabledAt)
        throw new AppError("validation", { form: ["Two-factor authentication is already on."] });
      const secret = newTotpSecret();
      await setPendingTotpSecret(tx, ctx.userId, sealTotp(ctx.userId, secret));
      return { secret, uri: totpUri(secret, factors?.email ?? "") };
    },
    database,
  );
}

/**
 * Runs `attempt` within the sign-in limits of the caller's account and address (login-limits.ts): a refused
 * proof counts as a failed sign-in and is reported as field errors; a successful one starts the account's
 * counts again.
 */
async function limited<T>(
  database: Database,
  ctx: UserContext,
  attempt: () => Promise<{ ok: true; data: T } | { ok: false; fieldErrors: Record<string, string[]> }>,
): Promise<T> {
  const email = await withContext(
    { userId: ctx.userId },
    async (tx) => (await factorsOf(tx, ctx.userId))?.email,
    database,
  );
  const result = await throttled(database, { account: email ?? ctx.userId, address: ctx.ip }, async () => {
    const value = await attempt();
    return { outcome: value.ok ? ("success" as const) : ("failure" as const), value };
  });
  if (result.limited) throw new AppError("rate_limited");
  if (!result.value.ok) throw new AppError("validation", result.value.fieldErrors);
  return result.value.data;
}

/** Confirms enrolment with a current code from the app: two-factor authentication is on from now. */
export async function confirmTotpEnrolment(database: Database, ctx: UserContext, code: string) {
  return limited(database, ctx, () =>
    withContext(
      ctx,
      async (tx) => {
        const factors = await factorsOf(tx, ctx.userId);
        if (factors?.totpEnabledAt)
          throw new AppError("validation", { form: ["Two-factor authentication is already on."] });
        if (!factors?.totpSecret)
          throw new AppError("validation", {
            form: ["Start again: set up two-factor authentication first."],
          });
        if (!(await consumeTotpCode(tx, { id: ctx.userId, ...factors }, code)))
          return { ok: false as const, fieldErrors: { code: [WRONG_CODE] } };
        const row = await enableTotp(tx, ctx.userId);
        await markVerified(tx, ctx, true);
        return { ok: true as const, data: { enabledAt: row.enabledAt } };
      },
      database,
    ),
  );
}

/** Proves the caller with what they gave: a password, a code, or both (then both must be right). */
async function prove(tx: Tx, ctx: UserContext, input: { password?: string; code?: string }) {
  const factors = await factorsOf(tx, ctx.userId);
  const fieldErrors: Record<string, string[]> = {};
  if (!factors) return { fieldErrors: { form: ["Sign in again."] } };
  if (!input.password && !input.code) return { factors, fieldErrors: { password: ["Enter your password."] } };
  if (input.password && !(await verifyPassword(tx, factors.email, input.password)))
    fieldErrors.password = [WRONG_PASSWORD];
  if (input.code) {
    if (!factors.totpEnabledAt) fieldErrors.code = ["Two-factor authentication is not on for you."];
    else if (
      !fieldErrors.password &&
      !(await consumeTotpCode(tx, { id: ctx.userId, ...factors }, input.code))
    )
      fieldErrors.code = [WRONG_CODE];
  }
  return { factors, fieldErrors };
}

/** Turns two-factor authentication off; needs a current code or the password. */
export async function disableTotp(
  database: Database,
  ctx: UserContext,
  input: { password?: string; code?: string },
) {
  return limited(database, ctx, () =>
    withContext(
      ctx,
      async (tx) => {
        const { factors, fieldErrors } = await prove(tx, ctx, input);
        if (!factors?.totpEnabledAt)
          throw new AppError("validation", { form: ["Two-factor authentication is already off."] });
        if (Object.keys(fieldErrors).length > 0) return { ok: false as const, fieldErrors };
        await clearTotp(tx, ctx.userId);
        await markVerified(tx, ctx, Boolean(input.code));
        return { ok: true as const, data: { disabled: true } };
      },
      database,
    ),
  );
}

/**
 * Step-up: the signed-in user proves it is still them (password, or a code when two-factor authentication is
 * on); their session counts as recently verified for the next five minutes.
 */
export async function reauthenticate(
  database: Database,
  ctx: UserContext,
  input: { password?: string; code?: string },
) {
  return limited(database, ctx, () =>
    withContext(
      ctx,
      async (tx) => {
        const { fieldErrors } = await prove(tx, ctx, input);
        if (Object.keys(fieldErrors).length > 0) return { ok: false as const, fieldErrors };
        await markVerified(tx, ctx, Boolean(input.code));
        return { ok: true as const, data: { verified: true } };
      },
      database,
    ),
  );
}
