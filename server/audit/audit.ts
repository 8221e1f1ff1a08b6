import type { Tx } from "@/db/client";
import type { RequestContext } from "@/db/context";
import { insertAuditRows } from "@/db/repos/audit-writes";
import type { AUDIT_ACTIONS, AUDIT_RESOURCES } from "@/db/schema";

export type AuditEntry = {
  action: (typeof AUDIT_ACTIONS)[number];
  resourceType: (typeof AUDIT_RESOURCES)[number];
  resourceId?: string | null;
  variableId?: string | null;
  environmentId?: string | null;
  previousValueHash?: string | null;
  newValueHash?: string | null;
  details?: Record<string, unknown>;
  riskLevel?: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
};

/** Appends an audit row in the caller's transaction: no audit row, no change. Never pass a value here. */
export async function writeAudit(
  tx: Tx,
  ctx: RequestContext & { organizationId: string },
  entry: AuditEntry,
) {
  await writeAudits(tx, ctx, [entry]);
}

/** Appends many audit rows at once (bulk imports), in chunks; the chain trigger links them in order. */
export async function writeAudits(
  tx: Tx,
  ctx: RequestContext & { organizationId: string },
  entries: AuditEntry[],
) {
  await insertAuditRows(
    tx,
    entries.map((entry) => ({
      organizationId: ctx.organizationId,
      userId: ctx.userId,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      variableId: entry.variableId ?? null,
      environmentId: entry.environmentId ?? null,
      previousValueHash: entry.previousValueHash ?? null,
      newValueHash: entry.newValueHash ?? null,
      changeDetails: entry.details ?? {},
      securityContext: { role: "role" in ctx ? ctx.role : undefined, via: "app" },
      riskLevel: entry.riskLevel ?? null,
      emergency: Boolean(ctx.emergencySessionId),
      ipAddress: ctx.ip || null,
      userAgent: ctx.userAgent || null,
      sessionId: ctx.sessionId || null,
    })),
  );
}
