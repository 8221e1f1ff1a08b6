import { z } from "zod";
import { environmentHealth } from "@/db/repos/health";
import { safeString } from "@/lib/validation/fields";
import { parseQuery } from "@/server/entry/input";
import { orgRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

const query = z.object({
  org: safeString(63, "Give the organization: ?org=<slug>").regex(
    /^[a-z0-9-]{1,63}$/,
    "Give the organization: ?org=<slug>",
  ),
});

/**
 * Health of each environment of an organization, for monitors (members only, like every organization
 * endpoint): status healthy / warning / critical with the reasons, the counts behind them and the last sync.
 */
export const GET = orgRoute({
  capability: "metadata:read",
  org: (request) => parseQuery(request, query).org,
  run: async ({ member }) => {
    const envs = await environmentHealth(member);
    const rank = { healthy: 0, warning: 1, critical: 2 } as const;
    const worst = envs.reduce<"healthy" | "warning" | "critical">(
      (w, e) => (rank[e.health.status] > rank[w] ? e.health.status : w),
      "healthy",
    );
    return Response.json(
      {
        organization: member.org.slug,
        status: worst,
        environments: envs.map((e) => ({ name: e.name, ...e.health })),
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});
