import { apiDrift } from "@/server/api/status";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/environments/{name}/drift — its unresolved drift, worst first (names, kinds, targets; no values). */
export const GET = apiRoute({
  capability: { token: "token:read", person: "metadata:read" },
  run: async ({ params, caller, ip }) =>
    Response.json(await apiDrift(caller, String(params.name ?? ""), ip), {
      headers: { "Cache-Control": "no-store" },
    }),
});
