import { variablePageQuery } from "@/lib/validation/tokens";
import { variableInput } from "@/lib/validation/variables";
import { createApiVariable, listApiVariables } from "@/server/api/variables";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/variables?after=&limit= — the variables in the caller's scope by name, with their value versions per
 * environment (never a value); `next` is the `after` of the following page, null at the end.
 */
export const GET = apiRoute({
  capability: { token: "token:read", person: "metadata:read" },
  query: variablePageQuery,
  run: async ({ caller, ip, query }) =>
    Response.json(await listApiVariables(caller, query, ip), { headers: { "Cache-Control": "no-store" } }),
});

/** POST /api/v1/variables — creates a variable (no value yet) with the console's fields: 201, 409 when the name is taken. */
export const POST = apiRoute({
  capability: { token: "token:write", person: "variable:create" },
  body: variableInput,
  run: async ({ caller, ip, body }) => {
    const created = await createApiVariable(caller, body, ip);
    return Response.json(created, {
      status: 201,
      headers: { "Cache-Control": "no-store", Location: `/api/v1/variables/${created.name}` },
    });
  },
});
