import { z } from "zod";
import { grantedConsent } from "@/lib/destinations/consent";
import { safeString } from "@/lib/validation/fields";
import { consentedDestinations } from "@/server/api/destinations";
import { tokenRoute } from "@/server/entry/token-route";

export const dynamic = "force-dynamic";

const query = z.object({
  environment: safeString(64, "Name the environment: ?environment=production").min(
    1,
    "Name the environment: ?environment=production",
  ),
  consent: grantedConsent.default([]),
});

/**
 * GET /api/v1/destinations?environment=production&consent=measurement,marketing — the enabled analytics
 * destinations of the environment whose required consent the visitor granted, with their settings and keys: the
 * keys meant for browsers to a `client` token, the server-side secrets too to a `read`/`read-write` token. Test
 * mode is in the answer. ETag; `If-None-Match` with it is 304 while nothing it covers changed.
 */
export const GET = tokenRoute({
  capability: "token:any",
  query,
  run: async ({ request, token, ip, query: q }) => {
    const { etag, body } = await consentedDestinations(token, q, {
      ip,
      ifNoneMatch: request.headers.get("if-none-match"),
    });
    const headers = { ETag: etag, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (body === null) return new Response(null, { status: 304, headers });
    return Response.json(body, { headers });
  },
});
