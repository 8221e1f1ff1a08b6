import "server-only";
import { type TenantContext, withContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import type { Permission } from "@/lib/policy";
import { valuePermission } from "@/server/authz";

/** What the caller may do per environment for one variable (for enabling controls; actions re-check). */
export async function valueAccess(ctx: TenantContext, variableId: string | null) {
  return withContext(ctx, async (tx) => {
    const out: Record<string, { permission: Permission; emergency: boolean }> = {};
    for (const env of await environmentRefs(tx, ctx)) {
      const { permission, emergency } = await valuePermission(tx, ctx, variableId, env);
      out[env.id] = { permission, emergency };
    }
    return out;
  });
}
