import { z } from "zod";
import { VALUE_READ, VALUE_WRITE } from "@/lib/declared";
import { versionTag } from "@/lib/etag";
import { optionalText } from "@/lib/validation/fields";
import { tokenValueInput } from "@/lib/validation/tokens";
import { VALUE_CACHE_CONTROL } from "@/lib/value-formats";
import { expectedVersion, writeAnswer } from "@/server/api/http";
import { oneValue } from "@/server/api/listing";
import { writeValue } from "@/server/api/writes";
import { apiRoute } from "@/server/entry/api-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/environments/{name}/values/{key} — one value, resolved (`written` too when it holds references),
 * with its version as the ETag a write sends back as If-Match. For a person, the console's audited reveal.
 */
export const GET = apiRoute({
  capability: { token: "token:read", person: VALUE_READ },
  run: async ({ params, caller, ip }) => {
    const value = await oneValue(caller, String(params.name ?? ""), String(params.key ?? ""), ip);
    return Response.json(value, {
      headers: {
        ETag: versionTag(value.version),
        "Cache-Control": VALUE_CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
});

/**
 * PUT /api/v1/environments/{name}/values/{key} — sets a value with a read-write token or a person's session: `{"value", "note"?}`,
 * with `If-Match: "<version>"` (or `If-None-Match: *` for a value not set yet). Through the console's one
 * write path: 423 during wedding hours, 202 + change request for a HIGH or CRITICAL change, 409 on a stale
 * version.
 */
export const PUT = apiRoute({
  capability: { token: "token:write", person: VALUE_WRITE },
  body: tokenValueInput,
  run: async ({ request, params, caller, ip, body }) => {
    const key = String(params.key ?? "");
    const result = await writeValue(caller, {
      environment: String(params.name ?? ""),
      key,
      value: body.value,
      expectedVersion: expectedVersion(request),
      note: body.note,
      ip,
    });
    return writeAnswer(result, key, false);
  },
});

/** DELETE …/values/{key}?note=… with `If-Match: "<version>"`: the value is gone (204), or waits for a reviewer (202). */
export const DELETE = apiRoute({
  capability: { token: "token:write", person: VALUE_WRITE },
  query: z.object({ note: optionalText(500) }),
  run: async ({ request, params, caller, ip, query: { note } }) => {
    const key = String(params.key ?? "");
    const result = await writeValue(caller, {
      environment: String(params.name ?? ""),
      key,
      value: null,
      expectedVersion: expectedVersion(request),
      note,
      ip,
    });
    return writeAnswer(result, key, true);
  },
});
