import type { Tx } from "@/db/client";
import type { RequestContext } from "@/db/context";
import { sessionVerification } from "@/db/repos/sessions";
import { AppError } from "@/lib/errors";
import { revealNeedsStepUp, verifiedWithin } from "@/lib/step-up";

/**
 * Step-up: the caller's session must have proved who it is (sign-in or re-authentication) within the last
 * five minutes. Fails closed: no session id (a script, a direct call) or an unknown or revoked session is
 * not recent. The error says whether the user can answer with an authentication code.
 */
export async function requireRecentAuth(tx: Tx, ctx: RequestContext) {
  const row = ctx.sessionId ? await sessionVerification(tx, ctx.userId, ctx.sessionId) : undefined;
  if (!row || !verifiedWithin(row.verifiedAt, row.now))
    throw new AppError("reauth_required", undefined, { totp: Boolean(row?.totpEnabledAt) });
}

/** A reveal of a wedding-critical value in production needs a recent re-authentication. */
export async function requireStepUpForReveal(
  tx: Tx,
  ctx: RequestContext,
  variable: { isWeddingCritical: boolean; securityClassification: string },
  env: { environmentType: string },
) {
  if (revealNeedsStepUp(variable, env.environmentType)) await requireRecentAuth(tx, ctx);
}
