import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import {
  type EnvironmentRef,
  emergencyCovers,
  grantsFor,
  type OrgGrants,
  variableTags,
} from "@/db/repos/grants";
import type { OrgCapability } from "@/lib/capabilities";
import { AppError } from "@/lib/errors";
import { can, effectivePermission, type Permission } from "@/lib/policy";

/** An organization-wide capability of the caller's role (lib/capabilities.ts); per-tier ones go per row. */
export function requireCapability(ctx: TenantContext, capability: OrgCapability) {
  if (!can(ctx.role, capability)) throw new AppError("forbidden");
}

/**
 * What the caller may do with one variable's value in each of these environments (baseline role + access
 * policies + a break-glass session), in their order. The grants and the variable's tags are read once.
 */
export async function valuePermissions(
  tx: Tx,
  ctx: TenantContext,
  variableId: string | null,
  envs: EnvironmentRef[],
  /** The caller's grants when already read in this transaction. */
  preloaded?: OrgGrants,
) {
  const grants = preloaded ?? (await grantsFor(tx, ctx));
  const variableTagList = variableId ? await variableTags(tx, variableId) : [];
  const now = new Date();
  const out: ReturnType<typeof effectivePermission>[] = [];
  for (const env of envs) {
    out.push(
      effectivePermission({
        role: ctx.role,
        userId: ctx.userId,
        envType: env.environmentType as Parameters<typeof effectivePermission>[0]["envType"],
        envName: env.name,
        variableId,
        variableTags: variableTagList,
        grants,
        now,
        timeZone: grants.timeZone,
        emergencySession: ctx.emergencySessionId ? await emergencyCovers(tx, env.id) : false,
      }),
    );
  }
  return out;
}

/** What the caller may do with one variable's value in one environment. */
export async function valuePermission(
  tx: Tx,
  ctx: TenantContext,
  variableId: string | null,
  env: EnvironmentRef,
) {
  const [permission] = await valuePermissions(tx, ctx, variableId, [env]);
  return permission;
}

/** Refuses (forbidden) unless the caller has at least `need` on the value. */
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
