import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import {
  acknowledgeReview,
  endLiveSessions,
  environmentLocked,
  insertEmergencySession,
  reviewByActor,
  sessionReviewCount,
  setEmergencySessionSetting,
} from "@/db/repos/emergency-sessions";
import { environmentInOrg } from "@/db/repos/grants";
import { AppError } from "@/lib/errors";
import { canUseEmergency } from "@/lib/policy";
import { writeAudit } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { valuePermission } from "@/server/authz";

export const MAX_EMERGENCY_MINUTES = 60;

/**
 * Audits the end of each session. The bookkeeping itself is not an emergency change, so it is not flagged
 * (no review item) — except that a session which changed nothing gets one flagged "ended without changes"
 * row: every break-glass session then reaches a reviewer once, with its reason, as its changes or as that.
 */
async function auditEnded(
  tx: Tx,
  ctx: TenantContext,
  ended: { id: string; environmentId: string }[],
  how: "ended" | "replaced",
) {
  for (const s of ended) {
    const changes = await sessionReviewCount(tx, ctx.organizationId, s.id);
    // The review trigger names the session from the transaction's setting: this one (ended, so it opens nothing).
    if (changes === 0) await setEmergencySessionSetting(tx, s.id);
    await writeAudit(
      tx,
      { ...ctx, emergencySessionId: changes === 0 ? s.id : undefined },
      {
        action: "update",
        resourceType: "session",
        resourceId: s.id,
        environmentId: s.environmentId,
        details: { emergency_session: true, ended: true, how, changes },
      },
    );
    if (changes === 0) await setEmergencySessionSetting(tx, ctx.emergencySessionId ?? "");
  }
}

/**
 * Break-glass: during wedding hours, an owner, admin, on-call or emergency-granted user opens a session for
 * one locked environment with a written reason, for at most 60 minutes. Their writes there apply at once,
 * flagged `emergency`; each one opens a review item (database trigger). One session at a time.
 */
export async function openEmergencySession(
  tx: Tx,
  ctx: TenantContext,
  input: { environmentId: string; reason: string; minutes: number },
) {
  if (input.reason.trim().length < 10)
    throw new AppError("validation", {
      reason: ["Say why in at least 10 characters (it goes to the reviewers)"],
    });
  const env = await environmentInOrg(tx, ctx, input.environmentId);
  const granted = canUseEmergency(ctx.role) || (await valuePermission(tx, ctx, null, env)).emergency;
  if (!granted) throw new AppError("forbidden");
  if (!(await environmentLocked(tx, env.id)))
    throw new AppError("validation", {
      environmentId: [`${env.name} is not locked now: change it normally, no emergency access is needed`],
    });
  await requireRecentAuth(tx, ctx);
  const minutes = Math.min(Math.max(Math.round(input.minutes), 5), MAX_EMERGENCY_MINUTES);
  const previous = await endLiveSessions(tx, ctx);
  const session = await insertEmergencySession(tx, {
    organizationId: ctx.organizationId,
    userId: ctx.userId,
    environmentId: env.id,
    reason: input.reason,
    minutes,
  });
  await auditEnded(tx, ctx, previous, "replaced");
  // Opening is not an emergency change either (the caller's previous session id must not flag it).
  await writeAudit(
    tx,
    { ...ctx, emergencySessionId: undefined },
    {
      action: "create",
      resourceType: "session",
      resourceId: session.id,
      environmentId: env.id,
      riskLevel: "HIGH",
      details: {
        emergency_session: true,
        environment: env.name,
        reason: input.reason,
        minutes,
        replaced: previous.map((p) => p.id),
      },
    },
  );
  return { id: session.id, environment: env.name, expiresAt: session.expiresAt };
}

/** Ends the caller's emergency access now (expiry ends it too); the lock applies again at once. */
export async function endEmergencySession(tx: Tx, ctx: TenantContext) {
  const ended = await endLiveSessions(tx, ctx);
  await auditEnded(tx, ctx, ended, "ended");
  return { ended: ended.length };
}

const REVIEWERS = new Set(["owner", "admin", "security_reviewer"]);

/** A security reviewer (not the person who made the change) acknowledges an emergency change. */
export async function acknowledgeEmergencyReview(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; note?: string },
) {
  if (!REVIEWERS.has(ctx.role)) throw new AppError("forbidden");
  const row = await acknowledgeReview(tx, ctx, { id: input.id, note: input.note ?? null });
  if (!row) {
    if (await reviewByActor(tx, input.id, ctx.userId))
      throw new AppError("forbidden", { form: ["You cannot acknowledge your own emergency change"] });
    throw new AppError("conflict:version", { form: ["Already acknowledged, or no longer there"] });
  }
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "session",
    resourceId: row.id,
    details: {
      emergency_review: row.id,
      acknowledged: true,
      audit_id: row.auditId,
      note: input.note ?? null,
    },
  });
  return row;
}
