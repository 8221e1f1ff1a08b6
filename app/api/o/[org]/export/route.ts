import { withContext } from "@/db/context";
import { orgRoute } from "@/server/entry/route";
import { exportConfiguration } from "@/server/organizations/export";

export const dynamic = "force-dynamic";

/**
 * GET /api/o/{org}/export — the organization's configuration as a JSON download (owners and admins): what it
 * is and how it is set up, never a value or a secret. Audited.
 */
export const GET = orgRoute({
  capability: "settings:manage",
  run: async ({ member }) => {
    const data = await withContext(member, (tx) => exportConfiguration(tx, member));
    const day = data.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="ringbearer-${data.organization?.slug ?? "organization"}-${day}.json"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
