import { publicOrigin } from "@/server/access/invitation-requests";
import { publicApiRoute } from "@/server/entry/api-route";
import { readTextBody } from "@/server/entry/input";
import { receiveInbound } from "@/server/integrations/inbound";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/integrations/{id}/webhook — a provider's webhook to a webhook config (Stripe, HubSpot or
 * QuickBooks). Open to anyone by design: the provider's signature, checked with the signing secret in the vault,
 * is the authentication. 200 with how many events were received and how many were replays; problems: 400
 * `signature_invalid` (recorded, never processed), 404 for no such live, active webhook config, 429 after
 * repeated refusals.
 */
export const POST = publicApiRoute({
  capability: "public",
  run: async ({ request, params }) => {
    const url = new URL(request.url);
    const answer = await receiveInbound(String(params.id ?? ""), {
      method: request.method,
      uri: `${await publicOrigin()}${url.pathname}${url.search}`,
      header: (name) => request.headers.get(name),
      body: await readTextBody(request),
    });
    return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
  },
});
