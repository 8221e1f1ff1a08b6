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
 * Emergency changes not yet acknowledged, oldest first, with what changed (hashes only) and the session's
 * reason: all of them, or only those made by `actorId`.
 */
export async function openReviewRows(ctx: TenantContext, only: { actorId: string } | null) {
  return withContext(ctx, (tx) =>
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
      .innerJoin(
        environmentVariableAudit,
        and(
          eq(environmentVariableAudit.id, emergencyReviews.auditId),
          eq(environmentVariableAudit.createdAt, emergencyReviews.auditCreatedAt),
        ),
      )
      .leftJoin(users, eq(users.id, emergencyReviews.actorId))
      .leftJoin(environmentVariables, eq(environmentVariables.id, environmentVariableAudit.variableId))
      .leftJoin(environments, eq(environments.id, environmentVariableAudit.environmentId))
      .leftJoin(emergencySessions, eq(emergencySessions.id, emergencyReviews.emergencySessionId))
      .where(
        and(
          eq(emergencyReviews.organizationId, ctx.organizationId),
          isNull(emergencyReviews.acknowledgedAt),
          only ? eq(emergencyReviews.actorId, only.actorId) : undefined,
        ),
      )
      .orderBy(emergencyReviews.createdAt),
  );
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
