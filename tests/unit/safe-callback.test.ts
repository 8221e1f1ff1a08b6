import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/safe-callback";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath: only same-origin paths are followed after sign-in", () => {
  it.each([
    ["/.//evil.example"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["\\/evil.example"],
    ["https://evil.example"],
    ["https://evil.example/o/demo"],
    ["http:evil.example"],
    ["/%2F%2Fevil.example"],
    ["/%2f/evil.example"],
    ["%2F%2Fevil.example"],
    ["/%5Cevil.example"],
    ["/%5cevil.example"],
    ["/%252F%252Fevil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["\t//evil.example"],
    [" //evil.example"],
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["/o/demo\u0000"],
    ["///evil.example"],
    ["/./../..//evil.example"],
    ["http://localhost:3000.evil.example/o/demo"],
    ["http://user@evil.example"],
    [""],
    ["a".repeat(3000)],
  ])("%j becomes /", (spelling) => {
    expect(safeCallbackPath(spelling, [ORIGIN])).toBe("/");
  });

  it("keeps paths on our origin, with their query and hash", () => {
    expect(safeCallbackPath("/o/demo/variables?q=STRIPE#top", [ORIGIN])).toBe(
      "/o/demo/variables?q=STRIPE#top",
    );
    expect(safeCallbackPath("/invite/abc_DEF-123", [ORIGIN])).toBe("/invite/abc_DEF-123");
    expect(safeCallbackPath("/", [ORIGIN])).toBe("/");
  });

  it("turns an absolute URL of our own origin into its path, and refuses another port or scheme", () => {
    expect(safeCallbackPath("http://localhost:3000/o/demo?x=1", [ORIGIN])).toBe("/o/demo?x=1");
    expect(safeCallbackPath("http://localhost:3001/o/demo", [ORIGIN])).toBe("/");
    expect(safeCallbackPath("https://localhost:3000/o/demo", [ORIGIN])).toBe("/");
    expect(safeCallbackPath("http://localhost:3000/o/demo", [])).toBe("/");
  });

  it("answers / for anything that is not one string", () => {
    expect(safeCallbackPath(undefined, [ORIGIN])).toBe("/");
    expect(safeCallbackPath(["/o/demo", "//evil.example"], [ORIGIN])).toBe("/");
    expect(safeCallbackPath(42, [ORIGIN])).toBe("/");
  });
});
