import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import {
  emergencyReviews,
  emergencySessions,
  environments,
  environmentVariableAudit,
  environmentVariables,
  users,
} from "@/db/schema";
import { can } from "@/lib/policy";

/** The caller's live emergency session in the organization, if any. */
export async function liveEmergencySession(tx: Tx, ctx: { userId: string; organizationId: string }) {
  const [row] = await tx
    .select({
      id: emergencySessions.id,
      environmentId: emergencySessions.environmentId,
      environment: environments.name,
      reason: emergencySessions.reason,
      expiresAt: emergencySessions.expiresAt,
    })
    .from(emergencySessions)
    .innerJoin(environments, eq(environments.id, emergencySessions.environmentId))
    .where(
      and(
        eq(emergencySessions.organizationId, ctx.organizationId),
        eq(emergencySessions.userId, ctx.userId),
        isNull(emergencySessions.endedAt),
        gt(emergencySessions.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(emergencySessions.startedAt))
    .limit(1);
  return row ?? null;
}

/**
 * Emergency changes not yet acknowledged, oldest first, with what changed (hashes only) and why. Reviewers and
 * audit readers (on-call among them) see every open item; anyone else only their own, waiting for a reviewer.
 * A session that changed nothing appears once, as `session_ended`.
 */
export async function openEmergencyReviews(ctx: TenantContext) {
  const everyone = can(ctx.role, "approvals:decide") || can(ctx.role, "audit:read");
  const rows = await withContext(ctx, (tx) =>
    tx
      .select({
        id: emergencyReviews.id,
        createdAt: emergencyReviews.createdAt,
        actorId: emergencyReviews.actorId,
        actor: users.email,
        action: environmentVariableAudit.action,
        resourceType: environmentVariableAudit.resourceType,
        details: environmentVariableAudit.changeDetails,
        variable: environmentVariables.name,
        environment: environments.name,
        previousValueHash: environmentVariableAudit.previousValueHash,
        newValueHash: environmentVariableAudit.newValueHash,
        reason: emergencySessions.reason,
      })
      .from(emergencyReviews)
      .innerJoin(environmentVariableAudit, eq(environmentVariableAudit.id, emergencyReviews.auditId))
      .leftJoin(users, eq(users.id, emergencyReviews.actorId))
      .leftJoin(environmentVariables, eq(environmentVariables.id, environmentVariableAudit.variableId))
      .leftJoin(environments, eq(environments.id, environmentVariableAudit.environmentId))
      .leftJoin(emergencySessions, eq(emergencySessions.id, emergencyReviews.emergencySessionId))
      .where(
        and(
          eq(emergencyReviews.organizationId, ctx.organizationId),
          isNull(emergencyReviews.acknowledgedAt),
          everyone ? undefined : eq(emergencyReviews.actorId, ctx.userId),
        ),
      )
      .orderBy(emergencyReviews.createdAt),
  );
  return rows.map(({ details, ...r }) => {
    const ended = r.resourceType === "session" && (details as { ended?: boolean }).ended === true;
    return {
      ...r,
      kind: ended ? ("session_ended" as const) : ("change" as const),
      summary: ended
        ? `Emergency access to ${r.environment ?? "an environment"} ended without changes`
        : null,
    };
  });
}

/** How many emergency changes wait for acknowledgement (the Approvals badge). */
export async function openEmergencyReviewCount(ctx: TenantContext): Promise<number> {
  const [row] = await withContext(ctx, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(emergencyReviews)
      .where(
        and(eq(emergencyReviews.organizationId, ctx.organizationId), isNull(emergencyReviews.acknowledgedAt)),
      ),
  );
  return row.n;
}
