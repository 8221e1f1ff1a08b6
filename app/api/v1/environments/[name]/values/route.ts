import { z } from "zod";
import { CONTENT_TYPES, VALUE_FORMATS } from "@/lib/value-formats";
import { tokenRoute } from "@/server/entry/token-route";
import { tokenEnvironmentValues } from "@/server/tokens/token-reads";

export const dynamic = "force-dynamic";

const query = z.object({
  format: z.enum(VALUE_FORMATS, { error: `Use format=${VALUE_FORMATS.join(", format=")}` }).default("json"),
});

/**
 * GET /api/v1/environments/{name}/values — the environment's values the token may read, resolved, as a JSON
 * object (or `?format=dotenv|yaml|shell|docker`). `Authorization: Bearer rb_st_…`; refusals are problem+json.
 */
export const GET = tokenRoute({
  capability: "token:read",
  query,
  run: async ({ params, token, ip, query: { format } }) => {
    const { body } = await tokenEnvironmentValues(token, String(params.name ?? ""), format, ip);
    return new Response(body, {
      headers: {
        "Content-Type": CONTENT_TYPES[format],
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});
