import { auditFilters } from "@/lib/validation/audit";
import { auditActivity } from "@/server/audit/audit-reads";
import { orgRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

/** GET …/audit/activity?<filters> — audit rows per day and action (last 30 days unless `from` is given). */
export const GET = orgRoute({
  capability: "audit:read",
  query: auditFilters,
  omit: ["before"],
  run: async ({ member, query }) => {
    const points = await auditActivity(member, query, member.org.timeZone);
    return Response.json({ points }, { headers: { "Cache-Control": "no-store" } });
  },
});
