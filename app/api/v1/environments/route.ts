import { tokenRoute } from "@/server/entry/token-route";
import { tokenEnvironments } from "@/server/tokens/token-reads";

export const dynamic = "force-dynamic";

/** GET /api/v1/environments — the environments the token may read: `{"environments": [{"name", "type"}]}`. */
export const GET = tokenRoute({
  capability: "token:read",
  run: async ({ token, ip }) =>
    Response.json(
      { environments: await tokenEnvironments(token, ip) },
      { headers: { "Cache-Control": "no-store" } },
    ),
});
