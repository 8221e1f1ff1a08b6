import { z } from "zod";
import { VALUE_READ } from "@/lib/declared";
import { CONTENT_TYPES, VALUE_CACHE_CONTROL, VALUE_FORMATS } from "@/lib/value-formats";
import { environmentValues } from "@/server/api/reads";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

const query = z.object({
  format: z.enum(VALUE_FORMATS, { error: `Use format=${VALUE_FORMATS.join(", format=")}` }).default("json"),
});

/**
 * GET /api/v1/environments/{name}/values — the environment's values the caller may read, resolved, as a JSON
 * object (or `?format=dotenv|yaml|shell|docker`). `Authorization: Bearer rb_st_…`, or a person's session (their
 * export: step-up for wedding-critical production values, each value audited as revealed). Refusals are
 * problem+json. Answers an ETag; `If-None-Match` with it is 304 while nothing it covers changed.
 */
export const GET = apiRoute({
  capability: { token: "token:read", person: VALUE_READ },
  query,
  run: async ({ request, params, caller, ip, query: { format } }) => {
    const { body, etag } = await environmentValues(caller, String(params.name ?? ""), format, {
      ip,
      ifNoneMatch: request.headers.get("if-none-match"),
    });
    // No cache between keeps the values, nothing compresses them; the client revalidates with If-None-Match.
    const headers = { ETag: etag, "Cache-Control": VALUE_CACHE_CONTROL, "X-Content-Type-Options": "nosniff" };
    if (body === null) return new Response(null, { status: 304, headers });
    return new Response(body, { headers: { ...headers, "Content-Type": CONTENT_TYPES[format] } });
  },
});
