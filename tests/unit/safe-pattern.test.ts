import { describe, expect, it } from "vitest";
import { judgePattern, MAX_MATCH_LENGTH, matchesPattern, POOL, patternProblem } from "@/lib/safe-pattern";
import { RESPONSIVE_MS, watchEventLoop } from "../support/event-loop";

describe("patternProblem", () => {
  it.each([
    "^sk_(live|test)_[A-Za-z0-9]+$",
    "^[A-Z]{2}\\d{6}$",
    "^https://[a-z0-9.-]+(:\\d+)?(/.*)?$",
    "^(true|false)$",
    "^\\p{L}+$",
  ])("accepts %s", async (source) => {
    expect(await patternProblem(source)).toBeNull();
  });

  it.each(["(a+)+$", "^(a|aa)+$", "^(\\w+\\s?)*$"])("rejects exponential %s", async (source) => {
    expect(await patternProblem(source)).toMatch(/exponential time/);
  });

  it.each(["\\s*,\\s*$", "a.*b.*c"])("rejects polynomial %s", async (source) => {
    expect(await patternProblem(source)).toMatch(/polynomial time/);
  });

  it.each(["([a-", "(", "a{2,1}", "\\p{NotAProperty}", "[\\w-z]"])("rejects invalid %s", async (source) => {
    expect(await patternProblem(source)).toBe("Not a valid regular expression");
  });

  it("rejects what the analysis cannot finish instead of trusting it", async () => {
    expect(await patternProblem("(\\1)+")).toMatch(/too complex to prove safe/);
  });

  it("rejects over-long patterns", async () => {
    expect(await patternProblem("a".repeat(501))).toMatch(/at most 500 characters/);
    expect(await patternProblem("a".repeat(500))).toBeNull();
  });

  it("answers again from its cache, at once", async () => {
    const first = await judgePattern("(a+)+$");
    const started = performance.now();
    expect(await judgePattern("(a+)+$")).toBe(first);
    expect(performance.now() - started).toBeLessThan(5);
  });

  it("leaves the server's recheck backend setting alone", async () => {
    const before = process.env.RECHECK_SYNC_BACKEND;
    await patternProblem("^x[0-9]+y$");
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

/** Real patterns that recheck's pure backend cannot settle quickly (each runs into its time limit). */
const SLOW_PATTERNS = Array.from({ length: 10 }, (_, i) => `^(a|b|ab){1,${31 + i}}c$`);

describe("pattern analysis off the event loop", () => {
  it("keeps the server responsive while ten slow patterns are analysed, and gives each a verdict", async () => {
    const stop = watchEventLoop();
    const started = performance.now();
    const verdicts = await Promise.all(
      SLOW_PATTERNS.map(async (source) => ({
        problem: await patternProblem(source),
        ms: performance.now() - started,
      })),
    );
    expect(await stop()).toBeLessThan(RESPONSIVE_MS);
    for (const { problem } of verdicts) expect(problem).toMatch(/too complex to prove safe/);
    // Each analysis ends within the hard limit: the last of ten within ten limits shared by the workers.
    const bound = Math.ceil(SLOW_PATTERNS.length / POOL.workers) * POOL.hardLimitMs + POOL.startLimitMs;
    expect(Math.max(...verdicts.map((v) => v.ms))).toBeLessThan(bound);
  }, 60_000);
});
