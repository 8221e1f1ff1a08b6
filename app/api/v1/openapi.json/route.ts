import { openApiDocument } from "@/lib/openapi";
import { publicRoute } from "@/server/entry/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/openapi.json — the machine API's OpenAPI 3.1 document, from the zod schemas the routes use. */
export const GET = publicRoute({
  capability: "public",
  run: async () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
});
