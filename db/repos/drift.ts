import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import { configurationDrift, deploymentSyncs, environments, syncTargets, users } from "@/db/schema";
import type { Severity } from "@/lib/drift";

/** Where a running push is (server/deploy/deploy.ts records it): reading, sending (with counts) or done. */
export type PushProgress = { phase: "reading" | "sending" | "done"; set?: number; delete?: number };

/** Each sync target with its environment and last contact, active ones first (no secret, sealed or not). */
export async function listTargets(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: syncTargets.id,
        name: syncTargets.name,
        kind: syncTargets.kind,
        location: syncTargets.location,
        environmentId: syncTargets.environmentId,
        environment: environments.name,
        deleteUnmanaged: syncTargets.deleteUnmanaged,
        autoPush: syncTargets.autoPush,
        isActive: syncTargets.isActive,
        version: syncTargets.version,
        managed: sql<number>`cardinality(${syncTargets.managedKeys})`,
        scanIntervalMinutes: syncTargets.scanIntervalMinutes,
        lastScanAt: syncTargets.lastScanAt,
        lastContactAt: syncTargets.lastTestAt,
        lastContactStatus: syncTargets.lastTestStatus,
        lastContactMessage: syncTargets.lastTestMessage,
      })
      .from(syncTargets)
      .innerJoin(environments, eq(environments.id, syncTargets.environmentId))
      .where(eq(syncTargets.organizationId, ctx.organizationId))
      .orderBy(desc(syncTargets.isActive), ...byTier, syncTargets.name),
  );
}

const SEVERITY_RANK = sql`case ${configurationDrift.driftSeverity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

export { SEVERITIES } from "@/lib/drift";
export type { Severity };
export type DriftFilter = { environment?: string; severity?: Severity };

/** How many rows of unresolved drift one page shows. */
export const DRIFT_PAGE = 100;

/**
 * One page of unresolved drift, worst first, with where it was seen (optionally one environment and/or
 * severity). driftSummary's counts give the total to page through.
 */
export async function unresolvedDrift(
  ctx: TenantContext,
  filter: DriftFilter = {},
  window: { offset: number; limit: number } = { offset: 0, limit: DRIFT_PAGE },
) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: configurationDrift.id,
        environmentId: configurationDrift.environmentId,
        environment: environments.name,
        weddingDayProtection: environments.weddingDayProtection,
        targetId: configurationDrift.targetId,
        target: syncTargets.name,
        type: configurationDrift.driftType,
        name: configurationDrift.variableName,
        severity: configurationDrift.driftSeverity,
        details: configurationDrift.details,
        detectedAt: configurationDrift.detectedAt,
        lastSeenAt: configurationDrift.lastSeenAt,
      })
      .from(configurationDrift)
      .innerJoin(environments, eq(environments.id, configurationDrift.environmentId))
      .leftJoin(syncTargets, eq(syncTargets.id, configurationDrift.targetId))
      .where(
        and(
          eq(configurationDrift.organizationId, ctx.organizationId),
          isNull(configurationDrift.resolvedAt),
          filter.environment ? eq(environments.name, filter.environment) : undefined,
          filter.severity ? eq(configurationDrift.driftSeverity, filter.severity) : undefined,
        ),
      )
      .orderBy(SEVERITY_RANK, ...byTier, configurationDrift.variableName, configurationDrift.id)
      .limit(window.limit)
      .offset(window.offset),
  );
}

/** Unresolved drift counted by environment and severity, environments in promotion order. */
export async function driftSummary(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        environment: environments.name,
        severity: sql<Severity>`${configurationDrift.driftSeverity}`,
        count: sql<number>`count(*)::int`,
      })
      .from(configurationDrift)
      .innerJoin(environments, eq(environments.id, configurationDrift.environmentId))
      .where(
        and(eq(configurationDrift.organizationId, ctx.organizationId), isNull(configurationDrift.resolvedAt)),
      )
      .groupBy(environments.id, environments.name, configurationDrift.driftSeverity)
      .orderBy(...byTier, SEVERITY_RANK),
  );
}

/** For the sidebar: how much drift is unresolved, and how much of it is critical. */
export async function openDriftCount(ctx: TenantContext) {
  const [row] = await withContext(ctx, (tx) =>
    tx
      .select({
        open: sql<number>`count(*)::int`,
        critical: sql<number>`(count(*) filter (where ${configurationDrift.driftSeverity} = 'critical'))::int`,
      })
      .from(configurationDrift)
      .where(
        and(eq(configurationDrift.organizationId, ctx.organizationId), isNull(configurationDrift.resolvedAt)),
      ),
  );
  return row ?? { open: 0, critical: 0 };
}

export type DriftRow = Awaited<ReturnType<typeof unresolvedDrift>>[number];

/** The latest syncs; a completed full push can be rolled back to. */
export async function recentSyncs(ctx: TenantContext, limit = 20) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: deploymentSyncs.id,
        targetId: deploymentSyncs.targetId,
        target: syncTargets.name,
        environmentId: deploymentSyncs.environmentId,
        environment: environments.name,
        environmentType: environments.environmentType,
        type: deploymentSyncs.syncType,
        status: deploymentSyncs.syncStatus,
        synced: deploymentSyncs.variablesSynced,
        failed: deploymentSyncs.variablesFailed,
        durationMs: deploymentSyncs.syncDurationMs,
        startedAt: deploymentSyncs.startedAt,
        startedBy: users.email,
        errors: deploymentSyncs.errorLog,
        progress: sql<PushProgress | null>`${deploymentSyncs.syncDetails} -> 'progress'`,
        rollbackable: sql<boolean>`${deploymentSyncs.syncStatus} = 'completed' and ${deploymentSyncs.syncDetails} ? 'snapshot'`,
        /** What a rollback to this sync would push: key → version (names and versions, never values). */
        snapshot: sql<Record<
          string,
          { version: number }
        > | null>`${deploymentSyncs.syncDetails} -> 'snapshot'`,
      })
      .from(deploymentSyncs)
      .innerJoin(environments, eq(environments.id, deploymentSyncs.environmentId))
      .leftJoin(syncTargets, eq(syncTargets.id, deploymentSyncs.targetId))
      .leftJoin(users, eq(users.id, deploymentSyncs.startedBy))
      .where(eq(deploymentSyncs.organizationId, ctx.organizationId))
      .orderBy(desc(deploymentSyncs.startedAt))
      .limit(limit),
  );
}
