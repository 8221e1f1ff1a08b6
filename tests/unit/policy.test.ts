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
import { BASELINE } from "../support/policy-cases";

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
