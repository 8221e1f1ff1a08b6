import { describe, expect, it } from "vitest";
import { limitMessage, parseLimits, usageLevel } from "@/lib/usage-limits";
import { parseEnv } from "@/server/env";

describe("usage limits", () => {
  it("warn from 80 % and are reached at 100 %", () => {
    expect(usageLevel(79, 100)).toBe("ok");
    expect(usageLevel(80, 100)).toBe("warning");
    expect(usageLevel(99, 100)).toBe("warning");
    expect(usageLevel(100, 100)).toBe("reached");
    expect(usageLevel(140, 100)).toBe("reached");
  });

  it("read RINGBEARER_LIMITS as key=number pairs, and say what is wrong", () => {
    expect(parseLimits(undefined)).toEqual({});
    expect(parseLimits(" variables=20000, members=100 ")).toEqual({ variables: 20000, members: 100 });
    expect(parseLimits("varaibles=10")).toMatch(/has "varaibles=10": use variables, environments/);
    expect(parseLimits("members=0")).toBe("members must be a whole number above 0");
    expect(parseLimits("members=1.5")).toBe("members must be a whole number above 0");
    expect(parseLimits("members=1=2")).toMatch(/use variables/);
  });

  it("refuse a malformed RINGBEARER_LIMITS at start, naming it", () => {
    const base = {
      DATABASE_URL: "postgres://app@localhost/db",
      RINGBEARER_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
      NEXTAUTH_SECRET: "x".repeat(32),
      NEXTAUTH_URL: "http://localhost:3000",
    };
    expect(() => parseEnv({ ...base, RINGBEARER_LIMITS: "members=none" })).toThrow(/RINGBEARER_LIMITS/);
    expect(() => parseEnv({ ...base, RINGBEARER_LIMITS: "members=10" })).not.toThrow();
  });

  it("name the limit and what to do in the refusal", () => {
    expect(limitMessage("service_tokens", 1000)).toBe(
      "This organization has reached its limit of 1,000 active service tokens. Nothing was created: remove some, or ask the installation's operator to raise the limit.",
    );
  });
});
