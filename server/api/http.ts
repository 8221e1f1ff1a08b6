import { AppError } from "@/lib/errors";
import { expectedVersionOf, versionTag } from "@/lib/etag";
import type { ApiWrite } from "./writes";

/** The version a write expects, from If-Match / If-None-Match (428 without, 422 when unreadable). */
export function expectedVersion(request: Request): number {
  const expected = expectedVersionOf(request.headers.get("if-match"), request.headers.get("if-none-match"));
  if (expected === "missing") throw new AppError("precondition_required");
  if (expected === "invalid")
    throw new AppError("validation", { "If-Match": ['Send the version you read as If-Match: "3"'] });
  return expected;
}

/** 200 (or 204 for a deletion) with the new version as ETag; 202 with the change request a reviewer decides. */
export function writeAnswer(result: ApiWrite, key: string, deleted: boolean): Response {
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
