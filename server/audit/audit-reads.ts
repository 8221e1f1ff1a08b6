import "server-only";
import { type TenantContext, withContext } from "@/db/context";
import { auditActivityRows, auditBatch } from "@/db/repos/audit";
import type { AuditFilters } from "@/lib/validation/audit";
import { requireCapability } from "@/server/authz";

/** A page of the audit trail, newest first, for those who may read it; `nextBefore` continues it. */
export async function auditPage(ctx: TenantContext, f: Partial<AuditFilters>, timeZone: string, limit = 50) {
  requireCapability(ctx, "audit:read");
  const rows = await withContext(ctx, (tx) => auditBatch(tx, ctx, f, timeZone, limit + 1));
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].seq : null };
}

/** The newest audit rows (for tests and the dashboard). */
export async function recentAudit(ctx: TenantContext, limit = 100) {
  return (await auditPage(ctx, {}, "UTC", limit)).rows;
}

/** Activity per day and action for the chart: the filtered rows of the last `days` days (or the range). */
export async function auditActivity(
  ctx: TenantContext,
  f: Partial<AuditFilters>,
  timeZone: string,
  days = 30,
) {
  requireCapability(ctx, "audit:read");
  return withContext(ctx, (tx) => auditActivityRows(tx, ctx, f, timeZone, days));
}
