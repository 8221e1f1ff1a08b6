import { z } from "zod";
import { versionTag } from "@/lib/etag";
import { optionalText } from "@/lib/validation/fields";
import { variableInput } from "@/lib/validation/variables";
import { expectedVersion, writeAnswer } from "@/server/api/http";
import { apiVariable, deleteApiVariable, updateApiVariable } from "@/server/api/variables";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/** GET /api/v1/variables/{key} — one variable's metadata and value versions, its own version as the ETag. */
export const GET = apiRoute({
  capability: { token: "token:read", person: "metadata:read" },
  run: async ({ params, caller, ip }) => {
    const variable = await apiVariable(caller, String(params.key ?? ""), ip);
    return Response.json(variable, {
      headers: { ETag: versionTag(variable.version), "Cache-Control": "no-store" },
    });
  },
});

/**
 * PUT /api/v1/variables/{key}?reason=… with `If-Match: "<variable version>"` and the console's fields: 200 with the
 * new version as ETag, or 202 when the change lowers its protection (a change request).
 */
export const PUT = apiRoute({
  capability: { token: "token:write", person: "variable:update" },
  body: variableInput,
  query: z.object({ reason: optionalText(500) }),
  run: async ({ request, params, caller, ip, body, query: { reason } }) => {
    const key = String(params.key ?? "");
    const result = await updateApiVariable(
      caller,
      { key, expectedVersion: expectedVersion(request), metadata: body, reason },
      ip,
    );
    if (result.status === "requested") return writeAnswer(result, key, false);
    return Response.json(
      { status: "applied", name: body.name, version: result.version },
      { headers: { ETag: versionTag(result.version), "Cache-Control": "no-store" } },
    );
  },
});

/**
 * DELETE /api/v1/variables/{key}?reason=… with `If-Match: "<variable version>"`: deleted with its values (restorable
 * for 90 days; 204), or a change request when it is wedding-critical or holds a HIGH value (202).
 */
export const DELETE = apiRoute({
  capability: { token: "token:write", person: "variable:delete" },
  query: z.object({ reason: optionalText(500) }),
  run: async ({ request, params, caller, ip, query: { reason } }) => {
    const key = String(params.key ?? "");
    const result = await deleteApiVariable(
      caller,
      { key, expectedVersion: expectedVersion(request), reason },
      ip,
    );
    return writeAnswer(result, key, true);
  },
});
