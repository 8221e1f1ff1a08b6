import "server-only";
import { type TenantContext, withContext } from "@/db/context";
import { compareRows } from "@/db/repos/compare";
import { environmentInOrg } from "@/db/repos/grants";
import { countDiffs } from "@/lib/compare";
import { requireValuePermission } from "@/server/authz";

/** Compares two environments the caller may read (both, or the comparison would mislead). */
export async function compareEnvironments(ctx: TenantContext, fromId: string, toId: string) {
  return withContext(ctx, async (tx) => {
    const from = await environmentInOrg(tx, ctx, fromId);
    const to = await environmentInOrg(tx, ctx, toId);
    await requireValuePermission(tx, ctx, null, from, "read");
    await requireValuePermission(tx, ctx, null, to, "read");
    const rows = await compareRows(tx, ctx, from.id, to.id);
    return { from, to, rows, counts: countDiffs(rows.map((r) => r.kind)) };
  });
}
