import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { valuesExportInput } from "@/lib/validation/organizations";
import { reserve, valuesExportLimit } from "@/server/auth/rate-limits";
import { parseInput, readJsonBody } from "@/server/entry/input";
import { orgRoute } from "@/server/entry/route";
import { exportOrganizationValues } from "@/server/organizations/values-export";

export const dynamic = "force-dynamic";

/**
 * POST /api/o/{org}/export/values `{ "passphrase": "…" }` — every value the caller may read, in every environment,
 * sealed with the passphrase (owners and admins, after a recent sign-in: `reauth_required` otherwise). A POST, so
 * the passphrase is never in an address or a log line. Audited as a reveal of each value. At most 10 tries an hour a
 * person (server/auth/rate-limits.ts).
 */
export const POST = orgRoute({
  capability: "settings:manage",
  run: async ({ request, member }) => {
    const input = await parseInput(
      valuesExportInput,
      (await readJsonBody(request)) as Record<string, unknown>,
    );
    const slot = await reserve(getDb(), valuesExportLimit(member.userId));
    if (!slot.ok) throw new AppError("rate_limited");
    const { user: _u, org: _o, emergency: _e, ...ctx } = member;
    const result = await withContext(ctx, (tx) => exportOrganizationValues(tx, ctx, input));
    const day = result.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(result.sealed)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="ringbearer-${member.org.slug}-values-${day}.sealed.json"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
