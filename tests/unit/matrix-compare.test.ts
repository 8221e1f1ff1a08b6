import { describe, expect, it } from "vitest";
import { countDiffs, diffKind, paritySummary } from "@/lib/compare";
import { cellState, parseStatusFilter } from "@/lib/matrix";

const value = (
  valueHash: string,
  extra: { validationStatus?: string | null; expiresAt?: string | null } = {},
) => ({
  valueHash,
  validationStatus: extra.validationStatus ?? "passed",
  expiresAt: extra.expiresAt ?? null,
});

describe("matrix cells", () => {
  const now = new Date("2026-11-23T12:00:00Z");

  it("is missing without a value, set without a neighbour, else same or differs", () => {
    expect(cellState(null, value("a"), now)).toBe("missing");
    expect(cellState(value("a"), null, now)).toBe("set");
    expect(cellState(value("a"), value("a"), now)).toBe("same");
    expect(cellState(value("a"), value("b"), now)).toBe("differs");
  });

  it("shows a failed check or an expiry before anything else", () => {
    expect(cellState(value("a", { validationStatus: "failed" }), value("a"), now)).toBe("invalid");
    expect(cellState(value("a", { expiresAt: "2026-11-23T11:59:59Z" }), value("a"), now)).toBe("expired");
    expect(cellState(value("a", { expiresAt: "2026-11-24T00:00:00Z" }), value("a"), now)).toBe("same");
    expect(cellState(value("a", { validationStatus: "warning" }), null, now)).toBe("set");
  });

  it("parses status filters from the URL and ignores anything else", () => {
    expect(parseStatusFilter("missing:production")).toEqual({ kind: "missing", environment: "production" });
    expect(parseStatusFilter("differs:staging:production")).toEqual({
      kind: "differs",
      environments: ["staging", "production"],
    });
    expect(parseStatusFilter("invalid")).toEqual({ kind: "invalid" });
    expect(parseStatusFilter("required_missing")).toEqual({ kind: "required_missing" });
    for (const bad of [undefined, "", "missing", "differs:staging", "drop table", "expired:x"]) {
      expect(parseStatusFilter(bad)).toBeNull();
    }
  });
});

describe("compare", () => {
  it("classifies what a promotion would do from hashes alone", () => {
    expect(diffKind("a", null)).toBe("added");
    expect(diffKind(null, "b")).toBe("removed");
    expect(diffKind("a", "b")).toBe("changed");
    expect(diffKind("a", "a")).toBe("same");
    expect(diffKind(null, null)).toBeNull();
    expect(countDiffs(["added", "added", "same", null, "changed"])).toEqual({
      added: 2,
      removed: 0,
      changed: 1,
      same: 1,
    });
  });

  it("summarises parity in one line", () => {
    expect(paritySummary("production", "staging", 0, [])).toBe("production has every key that staging has");
    expect(paritySummary("production", "staging", 1, ["A"])).toBe(
      "production lacks 1 key that staging has: A",
    );
    expect(paritySummary("production", "staging", 5, ["A", "B", "C"])).toBe(
      "production lacks 5 keys that staging has: A, B, C and 2 more",
    );
  });
});
