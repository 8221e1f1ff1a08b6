import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { RequestContext } from "@/db/context";
import { sessions, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { revealNeedsStepUp, verifiedWithin } from "@/lib/step-up";

/**
 * Step-up: the caller's session must have proved who it is (sign-in or re-authentication) within the last
 * five minutes. Fails closed: no session id (a script, a direct call) or an unknown or revoked session is
 * not recent. The error says whether the user can answer with an authentication code.
 */
export async function requireRecentAuth(tx: Tx, ctx: RequestContext) {
  const [row] = ctx.sessionId
    ? await tx
        .select({
          verifiedAt: sessions.verifiedAt,
          now: sql`now()`.mapWith(sessions.verifiedAt),
          totpEnabledAt: users.totpEnabledAt,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(eq(sessions.id, ctx.sessionId), eq(sessions.userId, ctx.userId), isNull(sessions.revokedAt)),
        )
    : [];
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
