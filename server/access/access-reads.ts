import "server-only";
import { type TenantContext, withContext } from "@/db/context";
import { environmentsByTier, memberByEmail, variablesWithIdsOrTags } from "@/db/repos/access";
import { grantsFor } from "@/db/repos/grants";
import { effectivePermission, grantIsLive } from "@/lib/policy";
import type { EnvironmentType, Role } from "@/lib/roles";

/**
 * What one member may do with values in each environment, and why (role baseline, then each matching grant)
 * — the same pure function the actions use, and the database agrees (tested against app_value_permission).
 * Grants scoped to one variable or a tag apply to those variables only: `variables` lists each variable and
 * environment where they give more than the environment's row says.
 */
export async function effectiveAccess(ctx: TenantContext, email: string) {
  return withContext(ctx, async (tx) => {
    const member = await memberByEmail(tx, ctx, email);
    if (!member) return null;
    const role = member.role as Role;
    const subject = { ...ctx, userId: member.userId, role };
    const grants = await grantsFor(tx, subject);
    const envs = await environmentsByTier(tx, ctx);
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
    const reached = scoped.length === 0 ? [] : await variablesWithIdsOrTags(tx, ctx, ids, tags);
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
