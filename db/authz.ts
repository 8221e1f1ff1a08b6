import { and, eq, sql } from "drizzle-orm";
import type { OrgCapability } from "@/lib/capabilities";
import { AppError } from "@/lib/errors";
import {
  type AccessGrant,
  can,
  effectivePermission,
  type Permission,
  type TimeRestriction,
} from "@/lib/policy";
import type { Role } from "@/lib/roles";
import type { Tx } from "./client";
import type { TenantContext } from "./context";
import { environments, environmentVariables, organizations, variableAccessPolicies } from "./schema";

/** An organization-wide capability of the caller's role (lib/capabilities.ts); per-tier ones go per row. */
export function requireCapability(ctx: TenantContext, capability: OrgCapability) {
  if (!can(ctx.role, capability)) throw new AppError("forbidden");
}

/** The organization's grants and the time zone their time-of-day windows are evaluated in. */
export type OrgGrants = AccessGrant[] & { timeZone: string };

/** Every grant of the caller's organization (the policy picks those that match) and its time zone. */
export async function grantsFor(tx: Tx, ctx: TenantContext): Promise<OrgGrants> {
  const rows = await tx
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
    .where(eq(variableAccessPolicies.organizationId, ctx.organizationId));
  const [org] = await tx
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId));
  const grants: AccessGrant[] = rows.map((r) => ({
    ...r,
    role: r.role as Role | null,
    permission: r.permission as AccessGrant["permission"],
    timeRestriction: (r.timeRestriction ?? {}) as TimeRestriction,
  }));
  return Object.assign(grants, { timeZone: org?.timeZone ?? "UTC" });
}

export type EnvironmentRef = { id: string; name: string; environmentType: string };

/** What the caller may do with one variable's value in one environment (baseline role + access policies). */
export async function valuePermission(
  tx: Tx,
  ctx: TenantContext,
  variableId: string | null,
  env: EnvironmentRef,
) {
  const grants = await grantsFor(tx, ctx);
  return effectivePermission({
    role: ctx.role,
    userId: ctx.userId,
    envType: env.environmentType as Parameters<typeof effectivePermission>[0]["envType"],
    envName: env.name,
    variableId,
    variableTags: variableId ? await tagsOf(tx, variableId) : [],
    grants,
    now: new Date(),
    timeZone: grants.timeZone,
    emergencySession: ctx.emergencySessionId ? await emergencyOpens(tx, env.id) : false,
  });
}

async function tagsOf(tx: Tx, variableId: string): Promise<string[]> {
  const [row] = await tx
    .select({ tags: environmentVariables.tags })
    .from(environmentVariables)
    .where(eq(environmentVariables.id, variableId));
  return row?.tags ?? [];
}

/** Whether the caller's break-glass session (from the request context) covers this environment now. */
async function emergencyOpens(tx: Tx, environmentId: string): Promise<boolean> {
  const [row] = await tx.execute<{ ok: boolean }>(sql`select app_emergency_ok(${environmentId}) as ok`);
  return row.ok;
}

export async function requireValuePermission(
  tx: Tx,
  ctx: TenantContext,
  variableId: string | null,
  env: EnvironmentRef,
  need: Permission,
) {
  const { permission } = await valuePermission(tx, ctx, variableId, env);
  const order: Permission[] = ["none", "read", "write", "admin"];
  if (order.indexOf(permission) < order.indexOf(need)) throw new AppError("forbidden");
}

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
