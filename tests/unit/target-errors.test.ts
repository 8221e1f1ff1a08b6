import { describe, expect, it } from "vitest";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { TargetError, type TargetErrorCode } from "@/lib/targets/types";

const CODES: TargetErrorCode[] = ["unreachable", "timeout", "unauthorized", "bad_response", "refused", "io"];

describe("a target's failure that reaches an action or route", () => {
  it.each(CODES)("becomes a typed error with its message (%s), never internal", (code) => {
    const message = "The location is outside your organization's target folder";
    const error = toAppError(new TargetError(code, message));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: code === "refused" ? "refused:target" : "unavailable:target",
      fieldErrors: { form: [message] },
    });
    expect((error as AppError).code).not.toBe("internal");
  });

  it("says a refusal is the caller's to fix (4xx)", () => {
    expect(
      (toAppError(new TargetError("refused", "The .env file is a symbolic link")) as AppError).status,
    ).toBe(422);
  });
});
