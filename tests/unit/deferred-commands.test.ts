import { describe, expect, it } from "vitest";
import { approvalRefusal, coverageRefusal, type StoredApproval } from "@/lib/approval-check";
import { checkCommand, DEFERRED_COMMANDS } from "@/lib/commands";
import { policyInput } from "@/lib/validation/access";

const ORG = "00000000-0000-4000-8000-000000000001";
const USER = "00000000-0000-4000-8000-000000000002";
const OTHER = "00000000-0000-4000-8000-000000000003";
const ROW = "00000000-0000-4000-8000-000000000004";
const ENV = "00000000-0000-4000-8000-000000000005";

describe("typed deferred commands (lib/commands)", () => {
  const role = { userId: OTHER, role: "admin", from: "developer" };
  const check = (name: string, payload: unknown, resourceId: string | null = null) =>
    checkCommand(name, payload, { resourceId, organizationId: ORG });

  it("accepts a stored command its schema accepts", async () => {
    expect(await check("member:role", role)).toMatchObject({ ok: true, command: { name: "member:role" } });
    expect(await check("settings:time_zone", { timeZone: "Europe/London" }, ORG)).toMatchObject({ ok: true });
    expect(await check("variable:delete", { id: ROW, expectedVersion: 3 }, ROW)).toMatchObject({ ok: true });
  });

  it("refuses an unknown command, a wrong value or type, an extra field and another row", async () => {
    expect(await check("database:drop", role)).toEqual({
      ok: false,
      problem: 'unknown command "database:drop"',
    });
    expect(await check("toString", role)).toMatchObject({ ok: false });
    expect(await check("member:role", { ...role, role: "root" })).toMatchObject({
      ok: false,
      problem: /^role:/,
    });
    expect(await check("member:role", { ...role, userId: 7 })).toMatchObject({
      ok: false,
      problem: /^userId:/,
    });
    expect(await check("member:role", { ...role, skipGate: true })).toEqual({
      ok: false,
      problem: "unexpected field skipGate",
    });
    expect(await check("target:update", { input: { id: ROW, extra: 1 } }, ROW)).toMatchObject({ ok: false });
    expect(await check("variable:delete", { id: ROW, expectedVersion: 3 }, OTHER)).toMatchObject({
      ok: false,
      problem: /another row/,
    });
    expect(await check("settings:time_zone", { timeZone: "Mars/Olympus" }, ORG)).toMatchObject({ ok: false });
  });

  it("re-checks a grant exactly as the form's schema left it (the form ends in the command's schema)", async () => {
    const form = await policyInput.safeParseAsync({
      subject: "role",
      role: "developer",
      permission: "read",
      scope: "tag",
      tag: "payments",
      environments: "staging,production",
      days: "1,2",
      from: "09:00",
      to: "17:00",
    });
    expect(form.success).toBe(true);
    const stored = JSON.parse(JSON.stringify(form.data));
    expect(stored.timeRestriction).toEqual({ days: [1, 2], from: "09:00", to: "17:00" });
    expect(await check("policy:grant", stored)).toMatchObject({ ok: true, command: { payload: form.data } });
    expect(await check("policy:grant", { ...stored, scope: "variable" })).toMatchObject({ ok: false });
  });

  it("covers every action a change request may defer", () => {
    expect(Object.keys(DEFERRED_COMMANDS).sort()).toEqual(
      [
        "destination:delete",
        "environment:update",
        "integration:delete",
        "member:role",
        "policy:grant",
        "protection:remove",
        "settings:time_zone",
        "target:create",
        "target:update",
        "variable:delete",
        "variable:restore",
        "variable:update",
      ].sort(),
    );
  });
});

describe("the gate's verification of an approval (lib/approval-check)", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const request: StoredApproval = {
    organizationId: ORG,
    requestedBy: OTHER,
    decidedBy: USER,
    status: "approved",
    action: "values",
    environmentId: ENV,
    resourceId: null,
    expiresAt: new Date("2026-06-08T12:00:00Z"),
    approvedHere: true,
  };
  const expect_ = { organizationId: ORG, userId: USER, action: "values", environmentId: ENV };

  it("admits the request approved by the caller in this transaction, and nothing else", () => {
    expect(approvalRefusal(request, expect_, now)).toBeNull();
    expect(approvalRefusal(undefined, expect_, now)).toMatch(/no such/);
    expect(approvalRefusal({ ...request, organizationId: OTHER }, expect_, now)).toMatch(/no such/);
    expect(approvalRefusal({ ...request, status: "pending" }, expect_, now)).toMatch(/pending/);
    expect(approvalRefusal({ ...request, status: "stale" }, expect_, now)).toMatch(/stale/);
    expect(approvalRefusal({ ...request, approvedHere: false }, expect_, now)).toMatch(/this transaction/);
    expect(approvalRefusal({ ...request, decidedBy: OTHER }, expect_, now)).toMatch(/this transaction/);
    expect(approvalRefusal({ ...request, requestedBy: USER }, expect_, now)).toMatch(/own/);
    expect(approvalRefusal({ ...request, expiresAt: now }, expect_, now)).toMatch(/expired/);
    expect(approvalRefusal({ ...request, action: "member:role" }, expect_, now)).toMatch(/another kind/);
    expect(approvalRefusal({ ...request, environmentId: OTHER }, expect_, now)).toMatch(
      /another environment/,
    );
    expect(
      approvalRefusal(
        { ...request, action: "variable:update", resourceId: ROW },
        {
          ...expect_,
          action: "variable:update",
          environmentId: undefined,
          resourceId: OTHER,
        },
        now,
      ),
    ).toMatch(/another row/);
  });

  it("admits a batch only if the request's items cover exactly it", () => {
    const items = [
      { variableId: "a", environmentId: ENV, operation: "set", baseVersion: 1, newValueHash: "h-a" },
      { variableId: "b", environmentId: ENV, operation: "delete", baseVersion: 4, newValueHash: null },
      { variableId: "c", environmentId: ENV, operation: "set", baseVersion: 2, newValueHash: "h-c" },
    ];
    const current = new Map<string, string | null>([["c", "h-c"]]);
    const a = { variableId: "a", operation: "set" as const, expectedVersion: 1, valueHash: "h-a" };
    const b = { variableId: "b", operation: "delete" as const, expectedVersion: 4, valueHash: null };
    // c is left out: its value is already the proposed one.
    expect(coverageRefusal(items, [a, b], ENV, current)).toBeNull();
    expect(coverageRefusal(items, [a], ENV, current)).toMatch(/does not cover/);
    expect(coverageRefusal(items, [a, b], ENV, new Map())).toMatch(/does not cover/);
    expect(coverageRefusal(items, [a, a, b], ENV, current)).toMatch(/does not cover/);
    expect(coverageRefusal(items, [{ ...a, valueHash: "other" }, b], ENV, current)).toMatch(/not the one/);
    expect(coverageRefusal(items, [{ ...a, expectedVersion: 2 }, b], ENV, current)).toMatch(/does not cover/);
    expect(coverageRefusal(items, [a, { ...b, operation: "set", valueHash: "x" }], ENV, current)).toMatch(
      /does not cover/,
    );
    expect(coverageRefusal(items, [a, b, { ...a, variableId: "z" }], ENV, current)).toMatch(/does not cover/);
    expect(coverageRefusal([{ ...items[0], environmentId: "elsewhere" }], [a], ENV, current)).toMatch(
      /another environment/,
    );
  });
});
