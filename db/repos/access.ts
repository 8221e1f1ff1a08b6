import "server-only";
import { and, arrayOverlaps, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import { grantsFor } from "@/db/repos/grants";
import { environments, environmentVariables, memberships, users, variableAccessPolicies } from "@/db/schema";
import { effectivePermission, grantIsLive, type TimeRestriction } from "@/lib/policy";
import type { EnvironmentType, Role } from "@/lib/roles";

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
 * — the same pure function the actions use, and the database agrees (tested against app_value_permission).
 * Grants scoped to one variable or a tag apply to those variables only: `variables` lists each variable and
 * environment where they give more than the environment's row says.
 */
export async function effectiveAccess(ctx: TenantContext, email: string) {
  return withContext(ctx, async (tx) => {
    const [member] = await tx
      .select({ userId: users.id, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, ctx.organizationId), eq(users.email, email.toLowerCase())));
    if (!member) return null;
    const role = member.role as Role;
    const subject = { ...ctx, userId: member.userId, role };
    const grants = await grantsFor(tx, subject);
    const envs = await tx
      .select({ name: environments.name, type: environments.environmentType })
      .from(environments)
      .where(eq(environments.organizationId, ctx.organizationId))
      .orderBy(...byTier);
    const now = new Date();
    const permissionIn = (e: (typeof envs)[number], variable?: { id: string; tags: string[] }) =>
      effectivePermission({
        role,
        userId: member.userId,
        envType: e.type as EnvironmentType,
        envName: e.name,
        variableId: variable?.id ?? null,
        variableTags: variable?.tags,
        grants,
        now,
        timeZone: grants.timeZone,
      });
    const environmentRows = envs.map((e) => ({ name: e.name, ...permissionIn(e) }));
    const scoped = grants.filter(
      (g) =>
        grantIsLive(g, now) &&
        (g.userId === member.userId || g.role === member.role) &&
        (g.variableId !== null || g.tag !== null),
    );
    const ids = scoped.flatMap((g) => (g.variableId ? [g.variableId] : []));
    const tags = scoped.flatMap((g) => (g.tag ? [g.tag] : []));
    const reached =
      scoped.length === 0
        ? []
        : await tx
            .select({
              id: environmentVariables.id,
              name: environmentVariables.name,
              tags: environmentVariables.tags,
            })
            .from(environmentVariables)
            .where(
              and(
                eq(environmentVariables.organizationId, ctx.organizationId),
                isNull(environmentVariables.deletedAt),
                or(
                  ids.length > 0 ? inArray(environmentVariables.id, ids) : undefined,
                  tags.length > 0 ? arrayOverlaps(environmentVariables.tags, tags) : undefined,
                ),
              ),
            )
            .orderBy(asc(environmentVariables.name));
    const variables = reached.flatMap((v) =>
      envs.flatMap((e, i) => {
        const here = permissionIn(e, v);
        const base = environmentRows[i];
        return here.permission === base.permission && here.emergency === base.emergency
          ? []
          : [{ variable: v.name, environment: e.name, ...here }];
      }),
    );
    return { role: member.role, environments: environmentRows, variables, scoped: scoped.length };
  });
}
