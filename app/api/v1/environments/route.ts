import { readableEnvironments } from "@/server/api/listing";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/environments — the environments the caller may read: `{"environments": [{"name", "type"}]}`. */
export const GET = apiRoute({
  capability: { token: "token:read", person: "metadata:read" },
  run: async ({ caller, ip }) =>
    Response.json(
      { environments: await readableEnvironments(caller, ip) },
      { headers: { "Cache-Control": "no-store" } },
    ),
});
