import { describe, expect, it } from "vitest";
import { writeMode } from "@/lib/approvals";
import { capabilityControl, pushControl, valueChangeControl } from "@/lib/controls";
import { baselinePermission, PERMISSIONS } from "@/lib/policy";
import { RISK_LEVELS } from "@/lib/risk";
import { ROLES, type Role } from "@/lib/roles";

const lock = { until: new Date("2026-12-05T23:59:00Z"), timeZone: "Europe/London" };
const value = (role: Role, envType: "staging" | "production", locked = false, emergency = false) =>
  valueChangeControl({
    role,
    permission: baselinePermission(role, envType),
    environment: envType,
    lock: locked ? lock : null,
    emergency,
  });

describe("what the UI offers each role (from the same tables the server checks)", () => {
  it("a viewer sees no value change control, and why", () => {
    expect(value("viewer", "staging")).toEqual({
      state: "hidden",
      reason: "Your role (viewer) cannot change values in staging.",
    });
    expect(value("security_reviewer", "production").state).toBe("hidden");
  });

  it("a developer proposes in production (sent for approval) and writes in staging", () => {
    expect(value("developer", "production")).toMatchObject({ state: "enabled", approval: true });
    expect(value("developer", "staging")).toMatchObject({ state: "enabled", approval: false });
  });

  it("during wedding hours a protected environment is read-only with until when, break-glass for those allowed", () => {
    expect(value("admin", "production", true)).toEqual({
      state: "locked",
      reason: "Locked for wedding hours until 5 Dec 2026, 23:59 (Europe/London).",
      breakGlass: true,
    });
    expect(value("developer", "production", true)).toMatchObject({ state: "locked", breakGlass: false });
    expect(value("on_call", "production", true)).toMatchObject({ state: "locked", breakGlass: true });
    // A live break-glass session for that environment lifts it.
    expect(value("on_call", "production", true, true).state).toBe("enabled");
    // A role that cannot change it at all is told that, not about the lock.
    expect(value("viewer", "production", true).state).toBe("hidden");
  });

  it("pushing needs write permission there (proposing is not enough), and the lock applies", () => {
    const push = (role: Role, locked = false) =>
      pushControl({
        role,
        permission: baselinePermission(role, "production"),
        environment: "production",
        lock: locked ? lock : null,
        emergency: false,
      });
    expect(push("developer")).toEqual({
      state: "hidden",
      reason: "Pushing to production needs write permission there.",
    });
    expect(push("viewer").state).toBe("hidden");
    expect(push("admin").state).toBe("enabled");
    expect(push("admin", true)).toMatchObject({ state: "locked", breakGlass: true });
  });

  it("role capabilities come from the capabilities table", () => {
    expect(capabilityControl("viewer", "variable:delete").state).toBe("hidden");
    expect(capabilityControl("viewer", "variable:delete")).toMatchObject({
      reason: "Your role (viewer) cannot delete variables.",
    });
    expect(capabilityControl("security_reviewer", "approvals:decide").state).toBe("enabled");
    expect(capabilityControl("security_reviewer", "variable:update").state).toBe("hidden");
    expect(capabilityControl("lead", "variable:delete").state).toBe("enabled");
  });

  it("hides a value change exactly where the server's write path refuses it, for every role and permission", () => {
    for (const role of ROLES)
      for (const permission of PERMISSIONS)
        for (const risk of RISK_LEVELS) {
          const control = valueChangeControl({
            role,
            permission,
            environment: "x",
            lock: null,
            emergency: false,
          });
          const server = writeMode({ role, permission, risk, emergency: false });
          expect(control.state === "hidden", `${role} ${permission} ${risk}`).toBe(server === "forbidden");
          if (control.state === "enabled" && control.approval)
            expect(server, `${role} ${permission} ${risk}`).toBe("request");
        }
  });
});
