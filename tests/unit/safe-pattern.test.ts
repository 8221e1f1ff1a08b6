import { describe, expect, it } from "vitest";
import { MAX_MATCH_LENGTH, matchesPattern, patternProblem } from "@/lib/safe-pattern";

describe("patternProblem", () => {
  it.each([
    "^sk_(live|test)_[A-Za-z0-9]+$",
    "^[A-Z]{2}\\d{6}$",
    "^https://[a-z0-9.-]+(:\\d+)?(/.*)?$",
    "^(true|false)$",
    "^\\p{L}+$",
  ])("accepts %s", (source) => {
    expect(patternProblem(source)).toBeNull();
  });

  it.each(["(a+)+$", "^(a|aa)+$", "^(\\w+\\s?)*$"])("rejects exponential %s", (source) => {
    expect(patternProblem(source)).toMatch(/exponential time/);
  });

  it.each(["(.*a){12}", "a.*b.*c"])("rejects polynomial %s", (source) => {
    expect(patternProblem(source)).toMatch(/polynomial time/);
  });

  it.each(["([a-", "(", "a{2,1}", "\\p{NotAProperty}", "[\\w-z]"])("rejects invalid %s", (source) => {
    expect(patternProblem(source)).toBe("Not a valid regular expression");
  });

  it("rejects what the analysis cannot finish instead of trusting it", () => {
    expect(patternProblem("(\\1)+")).toMatch(/too complex to prove safe/);
  });

  it("rejects over-long patterns", () => {
    expect(patternProblem("a".repeat(501))).toMatch(/at most 500 characters/);
    expect(patternProblem("a".repeat(500))).toBeNull();
  });

  it("answers again from its cache", () => {
    expect(patternProblem("(a+)+$")).toBe(patternProblem("(a+)+$"));
  });

  it("leaves the recheck backend setting as it found it", () => {
    const before = process.env.RECHECK_SYNC_BACKEND;
    patternProblem("^x[0-9]+y$");
    expect(process.env.RECHECK_SYNC_BACKEND).toBe(before);
  });
});

describe("matchesPattern", () => {
  it("tests with Unicode semantics", () => {
    expect(matchesPattern("^sk_(live|test)_[A-Za-z0-9]+$", "sk_live_abc123")).toBe(true);
    expect(matchesPattern("^sk_(live|test)_[A-Za-z0-9]+$", "pk_live_abc123")).toBe(false);
    expect(matchesPattern("^.$", "🔑")).toBe(true);
  });

  it("is false for values beyond the cap and for broken patterns", () => {
    expect(matchesPattern("^a*$", "a".repeat(MAX_MATCH_LENGTH))).toBe(true);
    expect(matchesPattern("^a*$", "a".repeat(MAX_MATCH_LENGTH + 1))).toBe(false);
    expect(matchesPattern("([a-", "anything")).toBe(false);
  });
});
