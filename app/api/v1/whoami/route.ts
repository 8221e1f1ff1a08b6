import { tokenIdentity } from "@/server/api/listing";
import { tokenRoute } from "@/server/entry/token-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/whoami — the presented token: its id, organization, environments, access and expiry. */
export const GET = tokenRoute({
  capability: "token:read",
  run: async ({ token, ip }) =>
    Response.json(await tokenIdentity(token, ip), { headers: { "Cache-Control": "no-store" } }),
});
