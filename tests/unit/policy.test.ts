import { describe, expect, it } from "vitest";
import {
  type AccessGrant,
  atLeast,
  baselinePermission,
  can,
  canUseEmergency,
  effectivePermission,
} from "@/lib/policy";
import { environmentTier, ROLES } from "@/lib/roles";
import { describeDays, describeTimeRestriction, timeRestrictionAllows } from "@/lib/time-restrictions";
import { BASELINE, TIME_CASES } from "../support/policy-cases";

describe("baseline permission", () => {
  const types = ["development", "testing", "staging", "production", "disaster_recovery"] as const;
  for (const role of ROLES) {
    for (const type of types) {
      it(`${role} on ${type}`, () => {
        expect(baselinePermission(role, type)).toBe(BASELINE[role][environmentTier(type)]);
      });
    }
  }

  it("orders permissions none < read < write < admin", () => {
    expect(atLeast("admin", "write")).toBe(true);
    expect(atLeast("write", "read")).toBe(true);
    expect(atLeast("read", "write")).toBe(false);
    expect(atLeast("none", "read")).toBe(false);
  });
});

describe("capabilities", () => {
  it("lets only owners and admins manage environments and settings", () => {
    for (const role of ROLES) {
      const expected = role === "owner" || role === "admin";
      expect(can(role, "environment:manage")).toBe(expected);
      expect(can(role, "settings:manage")).toBe(expected);
    }
  });

  it("keeps viewers and reviewers from changing variables", () => {
    for (const cap of ["variable:create", "variable:update", "variable:delete"] as const) {
      expect(can("viewer", cap)).toBe(false);
      expect(can("security_reviewer", cap)).toBe(false);
    }
    expect(can("developer", "variable:delete")).toBe(false);
    expect(can("lead", "variable:delete")).toBe(true);
  });

  it("gives the audit trail to reviewers but not to viewers or developers", () => {
    expect(can("security_reviewer", "audit:read")).toBe(true);
    expect(can("viewer", "audit:read")).toBe(false);
    expect(can("developer", "audit:read")).toBe(false);
  });

  it("allows break-glass only to owners, admins and on-call", () => {
    expect(ROLES.filter(canUseEmergency)).toEqual(["owner", "admin", "on_call"]);
  });
});

describe("effective permission", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const base = {
    role: "viewer" as const,
    userId: "u1",
    envType: "production" as const,
    envName: "production",
    variableId: "v1",
    now,
    timeZone: "UTC",
  };
  const grant = (g: Partial<AccessGrant>): AccessGrant => ({
    userId: "u1",
    role: null,
    permission: "read",
    variableId: null,
    tag: null,
    environmentNames: null,
    expiresAt: null,
    isActive: true,
    timeRestriction: {},
    ...g,
  });

  it("is the baseline without grants", () => {
    expect(effectivePermission({ ...base, grants: [] }).permission).toBe("none");
  });

  it("raises the baseline with a matching grant and says why", () => {
    const result = effectivePermission({ ...base, grants: [grant({ permission: "write" })] });
    expect(result.permission).toBe("write");
    expect(result.reasons.join(" ")).toMatch(/policy for this user: write/);
  });

  it("never lowers the baseline", () => {
    const result = effectivePermission({ ...base, role: "admin", grants: [grant({ permission: "read" })] });
    expect(result.permission).toBe("admin");
  });

  it("ignores expired, inactive, other-user, other-variable and other-environment grants", () => {
    const ignored = [
      grant({ permission: "admin", expiresAt: new Date("2026-11-22T00:00:00Z") }),
      grant({ permission: "admin", isActive: false }),
      grant({ permission: "admin", userId: "u2" }),
      grant({ permission: "admin", variableId: "v2" }),
      grant({ permission: "admin", environmentNames: ["staging"] }),
      grant({ permission: "admin", userId: null, role: "developer" }),
    ];
    expect(effectivePermission({ ...base, grants: ignored }).permission).toBe("none");
  });

  it("applies a tag-scoped grant only to variables with that tag", () => {
    const g = [grant({ permission: "write", tag: "payments" })];
    expect(effectivePermission({ ...base, variableTags: ["payments"], grants: g }).permission).toBe("write");
    expect(effectivePermission({ ...base, variableTags: ["email"], grants: g }).permission).toBe("none");
    expect(effectivePermission({ ...base, variableId: null, grants: g }).permission).toBe("none");
  });

  it("applies role grants and environment-restricted grants that match", () => {
    const result = effectivePermission({
      ...base,
      grants: [
        grant({ userId: null, role: "viewer", environmentNames: ["production"], permission: "write" }),
      ],
    });
    expect(result.permission).toBe("write");
  });

  it("a live emergency session lets on-call and emergency-granted users write, nobody else", () => {
    const prod = { ...base, envType: "production" as const, envName: "production", emergencySession: true };
    expect(effectivePermission({ ...prod, role: "on_call", grants: [] }).permission).toBe("write");
    expect(effectivePermission({ ...prod, role: "viewer", grants: [] }).permission).toBe("none");
    expect(effectivePermission({ ...prod, role: "developer", grants: [] }).permission).toBe("none");
    expect(
      effectivePermission({ ...prod, role: "viewer", grants: [grant({ permission: "emergency" })] })
        .permission,
    ).toBe("write");
    expect(
      effectivePermission({ ...prod, role: "on_call", emergencySession: false, grants: [] }).permission,
    ).toBe("read");
  });

  it("an emergency grant allows break-glass and reading", () => {
    const result = effectivePermission({ ...base, grants: [grant({ permission: "emergency" })] });
    expect(result).toMatchObject({ permission: "read", emergency: true });
  });
});

describe("time-of-day restrictions (the same table runs against SQL in tests/db/policy.test.ts)", () => {
  for (const c of TIME_CASES) {
    it(`${c.name}: ${c.allowed ? "applies" : "does not apply"}`, () => {
      expect(timeRestrictionAllows(c.restriction, c.timeZone, new Date(c.at))).toBe(c.allowed);
    });
  }

  it("describes windows the way the policies table shows them", () => {
    expect(describeTimeRestriction({})).toBe("always");
    expect(describeTimeRestriction({ days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" })).toBe(
      "Mon–Fri 09:00–18:00",
    );
    expect(describeTimeRestriction({ days: [5], from: "22:00", to: "06:00" })).toBe(
      "Fri 22:00–06:00 next day",
    );
    expect(describeTimeRestriction({ days: [6, 7] })).toBe("Sat, Sun");
    expect(describeTimeRestriction({ from: "09:00", to: "17:00" })).toBe("every day 09:00–17:00");
    expect(describeDays([1, 3, 4, 5, 7])).toBe("Mon, Wed–Fri, Sun");
  });
});

describe("effective permission with time-restricted grants", () => {
  const grant = (timeRestriction: AccessGrant["timeRestriction"]): AccessGrant => ({
    userId: "u1",
    role: null,
    permission: "write",
    variableId: null,
    tag: null,
    environmentNames: ["production"],
    expiresAt: null,
    isActive: true,
    timeRestriction,
  });
  const input = (at: string, timeZone = "Europe/London") => ({
    role: "viewer" as const,
    userId: "u1",
    envType: "production" as const,
    envName: "production",
    variableId: null,
    now: new Date(at),
    timeZone,
    grants: [grant({ days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" })],
  });

  it("applies inside its window, in the organization's time zone", () => {
    const result = effectivePermission(input("2026-03-30T08:30:00Z")); // Monday 09:30 BST
    expect(result.permission).toBe("write");
    expect(result.reasons.join("; ")).toMatch(/write in production, Mon–Fri 09:00–18:00$/);
  });

  it("outside its window it does not count, and the reasons say so", () => {
    const result = effectivePermission(input("2026-03-30T17:30:00Z")); // Monday 18:30 BST
    expect(result.permission).toBe("none");
    expect(result.reasons.join("; ")).toMatch(/write in production, Mon–Fri 09:00–18:00 \(not now\)/);
    // The same instant is inside the window for an organization in New York (13:30 EST… EDT).
    expect(effectivePermission(input("2026-03-30T17:30:00Z", "America/New_York")).permission).toBe("write");
  });

  it("an emergency grant outside its window does not open break-glass", () => {
    const result = effectivePermission({
      ...input("2026-11-28T12:00:00Z"),
      emergencySession: true,
      grants: [{ ...grant({ days: [1, 2, 3, 4, 5] }), permission: "emergency" }],
    });
    expect(result).toMatchObject({ permission: "none", emergency: false });
  });
});
