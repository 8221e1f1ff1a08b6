import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type RequestContext, withContext } from "@/db/context";
import { insertOpsEvent } from "@/db/repos/operators";
import { allOrganizationsUsage, organizationUsage, setOrganizationLimits } from "@/db/repos/usage";
import { LIMIT_KEYS, usageLevel } from "@/lib/usage-limits";
import type { OrganizationLimitsInput } from "@/lib/validation/ops";
import { requireCapability } from "@/server/authz";
import { operatorName, requireOperator } from "@/server/ops/operators";

/** With each count its level: below 80 %, from 80 % (a warning), at or past the limit (reached). */
const withLevels = <T extends { used: number | null; max: number }>(rows: T[]) =>
  rows.map((r) => ({ ...r, level: usageLevel(r.used ?? 0, r.max) }));

/** The organization's usage against its limits, for its owners and admins (Settings → Usage). */
export async function usageOf(tx: Tx, ctx: TenantContext) {
  requireCapability(ctx, "settings:manage");
  return withLevels(await organizationUsage(tx, ctx.organizationId));
}

/** Every organization's usage (storage aside), the fullest first: the operator console's /ops/usage. */
export async function usageBoard(ctx: RequestContext) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    await requireOperator(tx);
    const rows = (await allOrganizationsUsage(tx)).map((o) => {
      const usage = withLevels(o.usage);
      return { ...o, usage, fullest: Math.max(0, ...usage.map((u) => (u.used ?? 0) / u.max)) };
    });
    return rows.sort((a, b) => b.fullest - a.fullest || a.name.localeCompare(b.name));
  });
}

/** An operator sets an organization's limits (empty: the installation's default); logged. */
export async function setLimits(ctx: RequestContext, input: OrganizationLimitsInput) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    const actor = await operatorName(tx, ctx);
    const { organizationId, ...limits } = input;
    await setOrganizationLimits(tx, organizationId, limits, actor);
    await insertOpsEvent(tx, {
      actor,
      action: "limits.set",
      subject: organizationId,
      details: Object.fromEntries(LIMIT_KEYS.map((k) => [k, limits[k] ?? "default"])),
    });
  });
}
