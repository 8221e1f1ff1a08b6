import { describe, expect, it } from "vitest";
import {
  batchMode,
  canApprove,
  canPropose,
  currentStatus,
  decisionRefusal,
  highestRisk,
  valueChangeMode,
  writeMode,
} from "@/lib/approvals";
import { duration } from "@/lib/format";
import type { Permission } from "@/lib/policy";
import type { RiskLevel } from "@/lib/risk";
import type { Role } from "@/lib/roles";

describe("writeMode", () => {
  const cases: [Role, Permission, RiskLevel, boolean, ReturnType<typeof writeMode>][] = [
    ["admin", "admin", "LOW", false, "apply"],
    ["admin", "admin", "MEDIUM", false, "apply"],
    ["admin", "admin", "HIGH", false, "request"],
    ["owner", "admin", "CRITICAL", false, "request"],
    ["developer", "write", "MEDIUM", false, "apply"],
    ["developer", "write", "HIGH", false, "request"],
    // Without write permission, proposers always ask, whatever the risk.
    ["developer", "none", "LOW", false, "request"],
    ["lead", "read", "LOW", false, "request"],
    ["on_call", "read", "CRITICAL", false, "request"],
    // Those who may not propose are refused.
    ["viewer", "read", "LOW", false, "forbidden"],
    ["security_reviewer", "none", "HIGH", false, "forbidden"],
    // Break-glass applies at once (reviewed afterwards) when it gives write access.
    ["on_call", "write", "CRITICAL", true, "apply"],
    ["admin", "admin", "CRITICAL", true, "apply"],
    ["viewer", "read", "LOW", true, "forbidden"],
  ];
  it.each(cases)("%s with %s, %s risk, emergency %s → %s", (role, permission, risk, emergency, mode) => {
    expect(writeMode({ role, permission, risk, emergency })).toBe(mode);
  });
});

describe("batches", () => {
  it("refuse if any change is refused, wait if any waits", () => {
    expect(batchMode(["apply", "apply"])).toBe("apply");
    expect(batchMode(["apply", "request", "apply"])).toBe("request");
    expect(batchMode(["request", "forbidden"])).toBe("forbidden");
    expect(batchMode([])).toBe("apply");
  });
  it("take the highest risk", () => {
    expect(highestRisk(["LOW", "HIGH", "MEDIUM"])).toBe("HIGH");
    expect(highestRisk([])).toBe("LOW");
  });
});

describe("valueChangeMode", () => {
  it("scores the change and decides how it goes through", () => {
    const base = {
      role: "admin" as Role,
      permission: "admin" as Permission,
      weddingCritical: false,
      environmentType: "production" as const,
      emergency: false,
    };
    expect(valueChangeMode({ ...base, action: "value:set", classification: "public" })).toMatchObject({
      mode: "apply",
      risk: { level: "LOW" },
    });
    expect(valueChangeMode({ ...base, action: "value:set", classification: "confidential" })).toMatchObject({
      mode: "request",
      risk: { level: "HIGH" },
    });
    expect(
      valueChangeMode({
        ...base,
        action: "value:set",
        classification: "confidential",
        environmentType: "staging",
      }),
    ).toMatchObject({ mode: "apply", risk: { level: "LOW" } });
    expect(valueChangeMode({ ...base, action: "value:delete", classification: "internal" })).toMatchObject({
      mode: "request",
      risk: { level: "HIGH" },
    });
  });
});

describe("decisions", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it("a pending request past its expiry is expired", () => {
    expect(currentStatus({ status: "pending", expiresAt: new Date("2026-11-25T11:59:00Z") }, now)).toBe(
      "expired",
    );
    expect(currentStatus({ status: "pending", expiresAt: new Date("2026-11-26T00:00:00Z") }, now)).toBe(
      "pending",
    );
    expect(currentStatus({ status: "rejected", expiresAt: new Date("2026-11-01T00:00:00Z") }, now)).toBe(
      "rejected",
    );
  });
  it("are for reviewers other than the requester, on pending requests", () => {
    const request = { requestedBy: "u1", status: "pending" as const };
    expect(decisionRefusal({ userId: "u2", role: "security_reviewer" }, request)).toBeNull();
    expect(decisionRefusal({ userId: "u2", role: "admin" }, request)).toBeNull();
    expect(decisionRefusal({ userId: "u1", role: "admin" }, request)).toMatch(/your own/);
    expect(decisionRefusal({ userId: "u2", role: "developer" }, request)).toMatch(/Only security reviewers/);
    expect(decisionRefusal({ userId: "u2", role: "admin" }, { ...request, status: "stale" })).toMatch(
      /already stale/,
    );
  });
  it("name who proposes and who approves", () => {
    expect((["owner", "admin", "lead", "developer", "on_call"] as Role[]).every(canPropose)).toBe(true);
    expect(canPropose("viewer") || canPropose("security_reviewer")).toBe(false);
    expect((["owner", "admin", "security_reviewer"] as Role[]).every(canApprove)).toBe(true);
    expect(canApprove("developer") || canApprove("on_call") || canApprove("lead")).toBe(false);
  });
});

describe("duration", () => {
  it("reads as minutes, hours or days", () => {
    const t = new Date("2026-11-25T12:00:00Z");
    expect(duration(t, new Date("2026-11-25T12:03:20Z"))).toBe("3 min");
    expect(duration(new Date("2026-11-25T07:00:00Z"), t)).toBe("5 h");
    expect(duration(t, new Date("2026-12-02T12:00:00Z"))).toBe("7 d");
  });
});
