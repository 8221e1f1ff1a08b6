import { requireCapability } from "@/db/authz";
import { withContext } from "@/db/context";
import { writeAudit } from "@/db/mutations/audit";
import { type AuditRow, auditBatch } from "@/db/queries/audit";
import { csvRow } from "@/lib/csv";
import { AppError } from "@/lib/errors";
import { auditFilters } from "@/lib/validation/audit";
import { withMember } from "@/server/route";

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

/**
 * GET …/audit/export?format=csv|json&<filters> — the filtered audit rows, streamed newest first in batches
 * (keyset), audited as an export before the first byte. Audit rows hold hashes and metadata, never values.
 */
export async function GET(request: Request, props: RouteContext<"/api/o/[org]/audit/export">) {
  const { org } = await props.params;
  return withMember(org, async (member) => {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const format =
      params.format === "json" ? "json" : params.format === "csv" || !params.format ? "csv" : null;
    if (!format) throw new AppError("validation", { format: ["Use format=csv or format=json"] });
    const { format: _f, before: _b, ...rest } = params;
    const parsed = auditFilters.safeParse(rest);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const i of parsed.error.issues) fieldErrors[i.path.join(".") || "form"] = [i.message];
      throw new AppError("validation", fieldErrors);
    }
    const { user: _u, org: o, emergency: _e, ...ctx } = member;
    requireCapability(ctx, "audit:read");
    const filters = parsed.data;
    await withContext(ctx, (tx) =>
      writeAudit(tx, ctx, {
        action: "export",
        resourceType: "organization",
        resourceId: ctx.organizationId,
        details: { what: "audit", format, filters: rest },
      }),
    );
    const encoder = new TextEncoder();
    let before: number | undefined;
    let first = true;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(format === "csv" ? csvRow(HEADER) : "["));
      },
      async pull(controller) {
        const rows = await withContext(ctx, (tx) =>
          auditBatch(tx, ctx, { ...filters, before }, o.timeZone, BATCH),
        );
        for (const r of rows) {
          const chunk = format === "csv" ? csvRow(cells(r)) : `${first ? "" : ","}\n${JSON.stringify(r)}`;
          first = false;
          controller.enqueue(encoder.encode(chunk));
        }
        if (rows.length < BATCH) {
          if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
          controller.close();
        } else before = rows[rows.length - 1].seq;
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${org}-${stamp}.${format}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
