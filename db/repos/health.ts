import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import { configurationDrift, environments, syncTargets } from "@/db/schema";

export type EnvironmentHealth = {
  /** Counted over every row, whoever asks (the function runs as the owner): the same for every member. */
  missing_variables: number;
  /** The missing required variables the caller may read in this environment, by name. */
  missing_names: string[];
  /** Missing required variables the caller may not read: counted, not named. */
  missing_hidden: number;
  configuration_drift: number;
  critical_drift: number;
  failed_validations: number;
  last_sync: string | null;
  last_failed_sync: string | null;
  /** Active integration configs of the environment whose last check was UNHEALTHY (critical) or DEGRADED. */
  unhealthy_integrations: number;
  degraded_integrations: number;
  /** Values older than their variable's rotation interval (migration 0038). */
  rotation_due: number;
  /** Why it is not healthy, in words ("2 required variable(s) missing", "the last sync failed"). */
  reasons: string[];
  status: "healthy" | "warning" | "critical";
};

/**
 * Seed 000's get_environment_health for each environment of the organization. The function runs as the owner
 * so RLS does not hide what the caller may not read (status and counts are the same for every member); it
 * answers NULL to anyone who is not a member, whose rows are dropped here.
 */
export async function environmentHealth(ctx: TenantContext) {
  const rows = await withContext(ctx, (tx) =>
    tx
      .select({
        id: environments.id,
        name: environments.name,
        weddingDayProtection: environments.weddingDayProtection,
        health: sql<EnvironmentHealth | null>`get_environment_health(${environments.id})`,
      })
      .from(environments)
      .where(eq(environments.organizationId, ctx.organizationId))
      .orderBy(...byTier),
  );
  return rows.filter((r): r is typeof r & { health: EnvironmentHealth } => r.health !== null);
}

/**
 * Unresolved drift per environment at the end of each of the last `days` days (in the organization's time
 * zone), from when each drift was detected and resolved: the dashboard's trend, with no snapshot table.
 */
export async function driftTrend(ctx: TenantContext, timeZone: string, days = 14) {
  const rows = await withContext(ctx, (tx) =>
    tx.execute<{ environment_id: string; day: string; open: number }>(sql`
      with d as (
        select day::date as day,
               ((day::date + 1)::timestamp at time zone ${timeZone}) as day_end
          from generate_series((now() at time zone ${timeZone})::date - ${days - 1}::int,
                               (now() at time zone ${timeZone})::date, interval '1 day') as day)
      select e.id as environment_id, to_char(d.day, 'YYYY-MM-DD') as day,
             count(cd.id) filter (where cd.detected_at < d.day_end
                                   and (cd.resolved_at is null or cd.resolved_at >= d.day_end))::int as open
        from environments e cross join d
        left join configuration_drift cd on cd.environment_id = e.id
       where e.organization_id = ${ctx.organizationId}
       group by e.id, d.day order by d.day`),
  );
  const out = new Map<string, { day: string; open: number }[]>();
  for (const r of rows)
    out.set(r.environment_id, [...(out.get(r.environment_id) ?? []), { day: r.day, open: r.open }]);
  return out;
}

/** One environment's health (get_environment_health) in the caller's transaction; null to a non-member. */
export async function healthOf(tx: Tx, environmentId: string) {
  const [row] = await tx.execute<{ health: EnvironmentHealth | null }>(
    sql`select get_environment_health(${environmentId}::uuid) as health`,
  );
  return row?.health ?? null;
}

/** One environment's unresolved drift the caller sees, by name: what, where, since when (never a value or hash). */
export async function openDriftIn(tx: Tx, environmentId: string) {
  return tx
    .select({
      name: configurationDrift.variableName,
      type: configurationDrift.driftType,
      severity: configurationDrift.driftSeverity,
      target: syncTargets.name,
      detectedAt: configurationDrift.detectedAt,
      lastSeenAt: configurationDrift.lastSeenAt,
    })
    .from(configurationDrift)
    .leftJoin(syncTargets, eq(syncTargets.id, configurationDrift.targetId))
    .where(and(eq(configurationDrift.environmentId, environmentId), isNull(configurationDrift.resolvedAt)))
    .orderBy(asc(configurationDrift.variableName), asc(configurationDrift.id))
    .limit(1000);
}
