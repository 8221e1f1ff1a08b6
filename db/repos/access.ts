import "server-only";
import { and, arrayOverlaps, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import { environments, environmentVariables, memberships, users, variableAccessPolicies } from "@/db/schema";
import type { TimeRestriction } from "@/lib/policy";

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

/** A member of the caller's organization by email: their user id and role. */
export async function memberByEmail(tx: Tx, ctx: TenantContext, email: string) {
  const [member] = await tx
    .select({ userId: users.id, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, ctx.organizationId), eq(users.email, email.toLowerCase())));
  return member;
}

/** The organization's environments in promotion order: name and type. */
export async function environmentsByTier(tx: Tx, ctx: TenantContext) {
  return tx
    .select({ name: environments.name, type: environments.environmentType })
    .from(environments)
    .where(eq(environments.organizationId, ctx.organizationId))
    .orderBy(...byTier);
}

/** Live variables with one of these ids or any of these tags, by name. */
export async function variablesWithIdsOrTags(tx: Tx, ctx: TenantContext, ids: string[], tags: string[]) {
  return tx
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
}
