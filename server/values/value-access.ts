import "server-only";
import { type TenantContext, withContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import type { Permission } from "@/lib/policy";
import { valuePermissions } from "@/server/authz";

/** What the caller may do per environment for one variable (for enabling controls; actions re-check). */
export async function valueAccess(ctx: TenantContext, variableId: string | null) {
  return withContext(ctx, async (tx) => {
    const envs = await environmentRefs(tx, ctx);
    const permissions = await valuePermissions(tx, ctx, variableId, envs);
    const out: Record<string, { permission: Permission; emergency: boolean }> = {};
    envs.forEach((env, i) => {
      out[env.id] = { permission: permissions[i].permission, emergency: permissions[i].emergency };
    });
    return out;
  });
}
