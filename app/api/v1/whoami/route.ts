import { tokenIdentity } from "@/server/api/listing";
import { revokePresentedToken } from "@/server/api/writes";
import { tokenRoute } from "@/server/entry/token-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/whoami — the presented token: its id, organization, environments, access and expiry. */
export const GET = tokenRoute({
  capability: "token:any",
  run: async ({ token, ip }) =>
    Response.json(await tokenIdentity(token, ip), { headers: { "Cache-Control": "no-store" } }),
});

/** DELETE /api/v1/whoami — the presented token revokes itself at once (`ringbearer logout`): 204. */
export const DELETE = tokenRoute({
  capability: "token:any",
  run: async ({ token, ip }) => {
    await revokePresentedToken(token, ip);
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  },
});
