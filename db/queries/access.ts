import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { effectivePermission, type TimeRestriction } from "@/lib/policy";
import type { EnvironmentType, Role } from "@/lib/roles";
import { grantsFor } from "../authz";
import { type TenantContext, withContext } from "../context";
import { environments, environmentVariables, memberships, users, variableAccessPolicies } from "../schema";
import { byTier } from "./environment-order";

const grantee = alias(users, "grantee");
const granter = alias(users, "granter");

/** Every live grant of the organization, newest first, with who, what and where. */
export async function listPolicies(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: variableAccessPolicies.id,
        version: variableAccessPolicies.version,
        user: grantee.email,
        role: variableAccessPolicies.role,
        permission: variableAccessPolicies.permissionLevel,
        variable: environmentVariables.name,
        tag: variableAccessPolicies.tag,
        environments: variableAccessPolicies.environmentRestrictions,
        expiresAt: variableAccessPolicies.expiresAt,
        timeRestriction: variableAccessPolicies.timeRestrictions,
        grantedBy: granter.email,
        grantedAt: variableAccessPolicies.grantedAt,
      })
      .from(variableAccessPolicies)
      .leftJoin(grantee, eq(grantee.id, variableAccessPolicies.userId))
      .leftJoin(granter, eq(granter.id, variableAccessPolicies.grantedBy))
      .leftJoin(environmentVariables, eq(environmentVariables.id, variableAccessPolicies.variableId))
      .where(
        and(
          eq(variableAccessPolicies.organizationId, ctx.organizationId),
          eq(variableAccessPolicies.isActive, true),
        ),
      )
      .orderBy(desc(variableAccessPolicies.grantedAt))
      .then((rows) => rows.map((r) => ({ ...r, timeRestriction: r.timeRestriction as TimeRestriction }))),
  );
}

export async function listMembers(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, ctx.organizationId))
      .orderBy(users.email),
  );
}

/**
 * What one member may do with values in each environment, and why (role baseline, then each matching grant)
 * — the same pure function the actions use. Variable- and tag-scoped grants are listed but apply per variable.
 */
export async function effectiveAccess(ctx: TenantContext, email: string) {
  return withContext(ctx, async (tx) => {
    const [member] = await tx
      .select({ userId: users.id, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, ctx.organizationId), eq(users.email, email.toLowerCase())));
    if (!member) return null;
    const subject = { ...ctx, userId: member.userId, role: member.role as Role };
    const grants = await grantsFor(tx, subject);
    const envs = await tx
      .select({ name: environments.name, type: environments.environmentType })
      .from(environments)
      .where(eq(environments.organizationId, ctx.organizationId))
      .orderBy(...byTier);
    const now = new Date();
    return {
      role: member.role,
      environments: envs.map((e) => ({
        name: e.name,
        ...effectivePermission({
          role: member.role as Role,
          userId: member.userId,
          envType: e.type as EnvironmentType,
          envName: e.name,
          variableId: null,
          grants,
          now,
          timeZone: grants.timeZone,
        }),
      })),
      scoped: grants.filter(
        (g) =>
          g.isActive &&
          (!g.expiresAt || g.expiresAt > now) &&
          (g.userId === member.userId || g.role === member.role) &&
          (g.variableId !== null || g.tag !== null),
      ).length,
    };
  });
}
