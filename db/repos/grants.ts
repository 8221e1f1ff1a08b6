import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { AccessGrant, TimeRestriction } from "@/lib/policy";
import type { Role } from "@/lib/roles";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { environments, environmentVariables, organizations, variableAccessPolicies } from "../schema";

/** The organization's grants and the time zone their time-of-day windows are evaluated in. */
export type OrgGrants = AccessGrant[] & { timeZone: string };

/** Every grant of the caller's organization (the policy picks those that match) and its time zone. */
export async function grantsFor(tx: Tx, ctx: TenantContext): Promise<OrgGrants> {
  const [rows, [org]] = await Promise.all([
    tx
      .select({
        userId: variableAccessPolicies.userId,
        role: variableAccessPolicies.role,
        permission: variableAccessPolicies.permissionLevel,
        variableId: variableAccessPolicies.variableId,
        tag: variableAccessPolicies.tag,
        environmentNames: variableAccessPolicies.environmentRestrictions,
        expiresAt: variableAccessPolicies.expiresAt,
        isActive: variableAccessPolicies.isActive,
        timeRestriction: variableAccessPolicies.timeRestrictions,
      })
      .from(variableAccessPolicies)
      .where(eq(variableAccessPolicies.organizationId, ctx.organizationId)),
    tx
      .select({ timeZone: organizations.timeZone })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId)),
  ]);
  const grants: AccessGrant[] = rows.map((r) => ({
    ...r,
    role: r.role as Role | null,
    permission: r.permission as AccessGrant["permission"],
    timeRestriction: (r.timeRestriction ?? {}) as TimeRestriction,
  }));
  return Object.assign(grants, { timeZone: org?.timeZone ?? "UTC" });
}

export type EnvironmentRef = { id: string; name: string; environmentType: string };

/** A variable's tags (access policies may grant by tag). */
export async function variableTags(tx: Tx, variableId: string): Promise<string[]> {
  const [row] = await tx
    .select({ tags: environmentVariables.tags })
    .from(environmentVariables)
    .where(eq(environmentVariables.id, variableId));
  return row?.tags ?? [];
}

/** Whether the caller's break-glass session (from the request context) covers this environment now. */
export async function emergencyCovers(tx: Tx, environmentId: string): Promise<boolean> {
  const [row] = await tx.execute<{ ok: boolean }>(sql`select app_emergency_ok(${environmentId}) as ok`);
  return row.ok;
}

/** One environment of the caller's organization, or not_found. */
export async function environmentInOrg(tx: Tx, ctx: TenantContext, environmentId: string) {
  const [env] = await tx
    .select({
      id: environments.id,
      name: environments.name,
      environmentType: environments.environmentType,
      weddingDayProtection: environments.weddingDayProtection,
      isActive: environments.isActive,
    })
    .from(environments)
    .where(and(eq(environments.id, environmentId), eq(environments.organizationId, ctx.organizationId)));
  if (!env) throw new AppError("not_found");
  return env;
}

/** The organization's environments, as the permission rules need them. */
export async function environmentRefs(tx: Tx, ctx: TenantContext): Promise<EnvironmentRef[]> {
  return tx
    .select({ id: environments.id, name: environments.name, environmentType: environments.environmentType })
    .from(environments)
    .where(eq(environments.organizationId, ctx.organizationId));
}
