import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { PROBLEM_CODES, problemCode } from "@/lib/problems";

/** The problem codes an HTTP status may carry: a client branching on `code` never meets a contradiction. */
const BY_STATUS: Record<number, string[]> = {
  401: ["token_invalid", "token_expired", "token_revoked", "unauthorized", "reauth_required"],
  403: ["forbidden", "approval_required"],
  404: ["not_found"],
  400: ["signature_invalid"],
  409: ["conflict", "limit_reached"],
  410: ["not_found"],
  413: ["too_large"],
  422: ["validation"],
  423: ["wedding_hours"],
  428: ["precondition_required"],
  429: ["rate_limited"],
  500: ["internal"],
  502: ["unavailable"],
  503: ["unavailable"],
};

describe("the machine API's problem codes", () => {
  it("name every console error by a code that agrees with its status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      const problem = problemCode(code as ErrorCode);
      expect(PROBLEM_CODES, code).toContain(problem);
      expect(BY_STATUS[status], `${code} (${status}) → ${problem}`).toContain(problem);
    }
  });

  it("tell the three token refusals apart, and a wedding-hours lock from a plain refusal", () => {
    expect(problemCode("token:invalid")).toBe("token_invalid");
    expect(problemCode("token:expired")).toBe("token_expired");
    expect(problemCode("token:revoked")).toBe("token_revoked");
    expect(problemCode("locked:wedding_hours")).toBe("wedding_hours");
    expect(problemCode("conflict:version")).toBe("conflict");
    // No session at all is not a bad token: a person's call is told to sign in.
    expect(problemCode("unauthorized")).toBe("unauthorized");
    // A person who must re-authenticate is told so, not told to sign in.
    expect(problemCode("reauth_required")).toBe("reauth_required");
  });
});
