import { describe, expect, it } from "vitest";
import { detectDrift, detectParity, driftKey, driftSeverity, type ExpectedKey } from "@/lib/drift";

const key = (name: string, over: Partial<ExpectedKey> = {}): ExpectedKey => ({
  variableId: `id-${name}`,
  name,
  deployedHash: `d-${name}`,
  valueHash: `v-${name}`,
  classification: "internal",
  weddingCritical: false,
  required: false,
  expired: false,
  ...over,
});

describe("detectDrift", () => {
  it("finds nothing when the target holds exactly what the console expects", () => {
    const deployed = new Map([
      ["A", "d-A"],
      ["B", "d-B"],
    ]);
    expect(detectDrift({ expected: [key("A"), key("B")], deployed, tier: "production" })).toEqual([]);
  });

  it("names the missing, the unexpected and the mismatched keys, with hashes but no values", () => {
    const findings = detectDrift({
      expected: [key("MISSING", { required: true }), key("CHANGED", { classification: "confidential" })],
      deployed: new Map([
        ["CHANGED", "d-other"],
        ["EXTRA", "d-extra"],
      ]),
      tier: "production",
    });
    expect(findings.map((f) => [f.type, f.name, f.severity])).toEqual([
      ["value_mismatch", "CHANGED", "high"],
      ["unexpected_variable", "EXTRA", "medium"],
      ["missing_variable", "MISSING", "critical"],
    ]);
    expect(findings[0]).toMatchObject({ expectedHash: "v-CHANGED", actualHash: "d-other" });
  });

  it("flags a production value on a lower tier and an expired value still deployed", () => {
    const findings = detectDrift({
      expected: [
        key("STRIPE_SECRET_KEY", { classification: "confidential" }),
        key("OLD_TOKEN", { expired: true }),
      ],
      deployed: new Map([
        ["STRIPE_SECRET_KEY", "d-prod-value"],
        ["OLD_TOKEN", "d-OLD_TOKEN"],
      ]),
      tier: "lower",
      leaked: new Set(["STRIPE_SECRET_KEY"]),
    });
    expect(findings.map((f) => [f.type, f.name, f.severity, f.details.violation])).toEqual([
      ["security_violation", "OLD_TOKEN", "high", "expired_value_deployed"],
      ["security_violation", "STRIPE_SECRET_KEY", "critical", "production_value_on_lower_tier"],
    ]);
  });
});

describe("driftSeverity", () => {
  const s = (over: Partial<ExpectedKey> = {}) => key("X", over);
  it.each([
    ["missing_variable", s({ required: true }), "production", "critical"],
    ["missing_variable", s({ weddingCritical: true }), "production", "critical"],
    ["missing_variable", s({ classification: "confidential" }), "production", "high"],
    ["missing_variable", s(), "production", "medium"],
    ["value_mismatch", s({ classification: "wedding_day_critical" }), "production", "critical"],
    ["value_mismatch", s({ classification: "confidential" }), "staging", "medium"],
    ["value_mismatch", s({ required: true }), "staging", "high"],
    ["value_mismatch", s(), "lower", "low"],
    ["missing_variable", s({ required: true }), "lower", "medium"],
    ["security_violation", s(), "staging", "high"],
    ["security_violation", s(), "production", "critical"],
  ] as const)("%s of %o in %s is %s", (type, subject, tier, severity) => {
    expect(driftSeverity(type, subject, tier)).toBe(severity);
  });
  it("rates an unknown key by where it is", () => {
    expect(driftSeverity("unexpected_variable", null, "production")).toBe("medium");
    expect(driftSeverity("unexpected_variable", null, "lower")).toBe("low");
  });
});

describe("parity", () => {
  it("reports required keys the environment below has and this one lacks", () => {
    const subject = { classification: "internal" as const, weddingCritical: false, required: true };
    const findings = detectParity({
      below: [
        { name: "A", variableId: "a", subject },
        { name: "B", variableId: "b", subject: { ...subject, required: false } },
        { name: "C", variableId: "c", subject },
      ],
      present: new Set(["C"]),
      belowName: "staging",
      tier: "production",
    });
    expect(findings).toEqual([
      expect.objectContaining({ type: "missing_variable", name: "A", severity: "critical" }),
    ]);
    expect(findings[0].details).toEqual({ parity_with: "staging" });
  });
  it("keys the same drift the same way", () => {
    expect(driftKey("t1", { type: "value_mismatch", name: "A" })).toBe("t1:value_mismatch:A");
  });
});
