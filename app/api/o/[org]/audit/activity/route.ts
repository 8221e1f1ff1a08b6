import { auditActivity } from "@/db/queries/audit";
import { AppError } from "@/lib/errors";
import { auditFilters } from "@/lib/validation/audit";
import { withMember } from "@/server/route";

export const dynamic = "force-dynamic";

/** GET …/audit/activity?<filters> — audit rows per day and action (last 30 days unless `from` is given). */
export async function GET(request: Request, props: RouteContext<"/api/o/[org]/audit/activity">) {
  const { org } = await props.params;
  return withMember(org, async (member) => {
    const { before: _b, ...params } = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = auditFilters.safeParse(params);
    if (!parsed.success)
      throw new AppError("validation", { form: [parsed.error.issues[0]?.message ?? "Bad filter"] });
    const points = await auditActivity(member, parsed.data, member.org.timeZone);
    return Response.json({ points }, { headers: { "Cache-Control": "no-store" } });
  });
}
