import { z } from "zod";
import type { Tx } from "@/db/client";
import { withContext } from "@/db/context";
import { type AuditRow, auditBatch } from "@/db/repos/audit";
import { csvRow } from "@/lib/csv";
import { auditFilters } from "@/lib/validation/audit";
import { writeAudit } from "@/server/audit/audit";
import { batchedDownload } from "@/server/batched-download";
import { parseQuery } from "@/server/entry/input";
import { orgRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

const BATCH = 1000;
const HEADER = [
  "seq",
  "created_at",
  "user",
  "action",
  "resource",
  "resource_id",
  "variable",
  "environment",
  "risk",
  "emergency",
  "previous_value_hash",
  "new_value_hash",
  "ip",
  "user_agent",
  "details",
  "row_hash",
];

const cells = (r: AuditRow) => [
  r.seq,
  r.createdAt,
  r.user,
  r.action,
  r.resourceType,
  r.resourceId,
  r.variable,
  r.environment,
  r.riskLevel,
  r.emergency,
  r.previousValueHash,
  r.newValueHash,
  r.ipAddress,
  r.userAgent,
  r.details,
  r.rowHash,
];

const formatQuery = z.object({
  format: z.enum(["csv", "json"], { error: "Use format=csv or format=json" }).default("csv"),
});

/**
 * GET …/audit/export?format=csv|json&<filters> — the filtered audit rows, newest first in batches (keyset).
 * The export's own audit row and the first batch are one transaction before the response starts: a failure
 * there is a JSON error and leaves no audit row; a failure later ends the file with a marker
 * (`server/batched-download.ts`). Audit rows hold hashes and metadata, never values.
 */
export const GET = orgRoute({
  capability: "audit:read",
  run: async ({ request, params, member }) => {
    const org = String(params.org);
    const { format } = parseQuery(request, formatQuery.loose());
    const filters = parseQuery(request, auditFilters, ["format", "before"]);
    const { user: _u, org: o, emergency: _e, ...ctx } = member;
    const { format: _f, before: _b, ...asked } = Object.fromEntries(new URL(request.url).searchParams);
    const batch = (tx: Tx, before?: number) => auditBatch(tx, ctx, { ...filters, before }, o.timeZone, BATCH);
    const first = await withContext(ctx, async (tx) => {
      await writeAudit(tx, ctx, {
        action: "export",
        resourceType: "organization",
        resourceId: ctx.organizationId,
        details: { what: "audit", format, filters: asked },
      });
      return batch(tx);
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return batchedDownload({
      format,
      first,
      batchSize: BATCH,
      next: (last) => withContext(ctx, (tx) => batch(tx, last.seq)),
      csvHeader: csvRow(HEADER),
      csvRow: (r) => csvRow(cells(r)),
      context: { org, export: "audit", format },
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${org}-${stamp}.${format}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});
