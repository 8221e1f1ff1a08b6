import { auditActivity } from "@/db/queries/audit";
import { auditFilters } from "@/lib/validation/audit";
import { parseQuery, withMember } from "@/server/route";

export const dynamic = "force-dynamic";

/** GET …/audit/activity?<filters> — audit rows per day and action (last 30 days unless `from` is given). */
export async function GET(request: Request, props: RouteContext<"/api/o/[org]/audit/activity">) {
  const { org } = await props.params;
  return withMember(org, "audit:read", async (member) => {
    const filters = parseQuery(request, auditFilters, ["before"]);
    const points = await auditActivity(member, filters, member.org.timeZone);
    return Response.json({ points }, { headers: { "Cache-Control": "no-store" } });
  });
}
