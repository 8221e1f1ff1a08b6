import { apiHealth } from "@/server/api/status";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/environments/{name}/health — healthy / warning / critical, with the reasons and counts behind it. */
export const GET = apiRoute({
  capability: { token: "token:read", person: "metadata:read" },
  run: async ({ params, caller, ip }) =>
    Response.json(await apiHealth(caller, String(params.name ?? ""), ip), {
      headers: { "Cache-Control": "no-store" },
    }),
});
