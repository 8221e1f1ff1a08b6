import { z } from "zod";
import { AppError } from "@/lib/errors";
import { expectedVersionOf, versionTag } from "@/lib/etag";
import { optionalText } from "@/lib/validation/fields";
import { tokenValueInput } from "@/lib/validation/tokens";
import { tokenRoute } from "@/server/entry/token-route";
import { type TokenWrite, tokenWriteValue } from "@/server/tokens/token-writes";

export const dynamic = "force-dynamic";

/** The version a write expects, from If-Match / If-None-Match (428 without, 422 when unreadable). */
function expectedVersion(request: Request): number {
  const expected = expectedVersionOf(request.headers.get("if-match"), request.headers.get("if-none-match"));
  if (expected === "missing") throw new AppError("precondition_required");
  if (expected === "invalid")
    throw new AppError("validation", { "If-Match": ['Send the version you read as If-Match: "3"'] });
  return expected;
}

/** 200 (or 204 for a deletion) with the new version as ETag; 202 with the change request a reviewer decides. */
function answer(result: TokenWrite, key: string, deleted: boolean): Response {
  const headers = { "Cache-Control": "no-store" };
  if (result.status === "requested")
    return Response.json(
      {
        status: "requested",
        key,
        changeRequest: { id: result.requestId, riskLevel: result.riskLevel, url: result.approvalsPath },
      },
      { status: 202, headers: { ...headers, Location: result.approvalsPath } },
    );
  if (deleted) return new Response(null, { status: 204, headers });
  return Response.json(
    { status: "applied", key, version: result.version },
    { headers: { ...headers, ETag: versionTag(result.version) } },
  );
}

/**
 * PUT /api/v1/environments/{name}/values/{key} — sets a value with a read-write token: `{"value", "note"?}`,
 * with `If-Match: "<version>"` (or `If-None-Match: *` for a value not set yet). Through the console's one
 * write path: 423 during wedding hours, 202 + change request for a HIGH or CRITICAL change, 409 on a stale
 * version.
 */
export const PUT = tokenRoute({
  capability: "token:write",
  body: tokenValueInput,
  run: async ({ request, params, token, ip, body }) => {
    const key = String(params.key ?? "");
    const result = await tokenWriteValue(token, {
      environment: String(params.name ?? ""),
      key,
      value: body.value,
      expectedVersion: expectedVersion(request),
      note: body.note,
      ip,
    });
    return answer(result, key, false);
  },
});

/** DELETE …/values/{key}?note=… with `If-Match: "<version>"`: the value is gone (204), or waits for a reviewer (202). */
export const DELETE = tokenRoute({
  capability: "token:write",
  query: z.object({ note: optionalText(500) }),
  run: async ({ request, params, token, ip, query: { note } }) => {
    const key = String(params.key ?? "");
    const result = await tokenWriteValue(token, {
      environment: String(params.name ?? ""),
      key,
      value: null,
      expectedVersion: expectedVersion(request),
      note,
      ip,
    });
    return answer(result, key, true);
  },
});
