import type { ErrorCode } from "./errors";

/**
 * The machine API's problem codes (RFC 9457 `application/problem+json`, member `code`): stable names a client
 * branches on, one per kind of refusal, whatever the console's own code for it (docs/api.md lists them).
 */
export const PROBLEM_CODES = [
  "token_invalid",
  "token_expired",
  "token_revoked",
  "unauthorized",
  "reauth_required",
  "forbidden",
  "not_found",
  "conflict",
  "limit_reached",
  "wedding_hours",
  "approval_required",
  "rate_limited",
  "validation",
  "precondition_required",
  "too_large",
  "signature_invalid",
  "unavailable",
  "internal",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The problem code of a console error code. */
export function problemCode(code: ErrorCode): ProblemCode {
  switch (code) {
    case "token:invalid":
      return "token_invalid";
    case "unauthorized":
      return "unauthorized";
    case "reauth_required":
      return "reauth_required";
    case "token:expired":
      return "token_expired";
    case "token:revoked":
      return "token_revoked";
    case "forbidden":
      return "forbidden";
    case "not_found":
    case "gone:invitation":
      return "not_found";
    case "locked:wedding_hours":
      return "wedding_hours";
    case "rate_limited":
      return "rate_limited";
    case "precondition_required":
      return "precondition_required";
    case "too_large":
      return "too_large";
    case "signature_invalid":
      return "signature_invalid";
    case "approval_required":
      return "approval_required";
    case "limit:reached":
      return "limit_reached";
    case "unavailable:database":
    case "unavailable:target":
      return "unavailable";
    case "internal":
      return "internal";
    default:
      if (code.startsWith("conflict")) return "conflict";
      if (code === "validation" || code.startsWith("invalid") || code.startsWith("refused"))
        return "validation";
      return "internal";
  }
}
