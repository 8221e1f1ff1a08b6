import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { auditFilters } from "@/lib/validation/audit";
import { auditActivity, auditPage } from "@/server/audit/audit-reads";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "./support";

let org: TestOrg;

beforeAll(async () => {
  org = await makeOrg();
  for (const name of ["RESEND_API_KEY", "TWILIO_AUTH_TOKEN"]) {
    const v = await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name,
        variableType: "secret",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    for (let i = 0; i < 3; i++)
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: v.id,
          environmentId: org.env.staging,
          value: `${name}-${i}`,
          expectedVersion: i,
        }),
      );
    await withContext(org.owner, (tx) =>
      revealValue(tx, org.owner, { variableId: v.id, environmentId: org.env.staging }),
    );
  }
});

describe("the audit explorer", () => {
  it("filters by action, variable and environment", async () => {
    const reveals = await auditPage(org.owner, { action: "decrypt" }, "UTC");
    expect(reveals.rows.map((r) => r.variable).sort()).toEqual(["RESEND_API_KEY", "TWILIO_AUTH_TOKEN"]);
    const resend = await auditPage(org.owner, { variable: "RESEND_API_KEY", resource: "value" }, "UTC");
    expect(resend.rows.map((r) => r.action)).toEqual(["decrypt", "update", "update", "create"]);
    expect(resend.rows.every((r) => r.environment === "staging")).toBe(true);
    expect((await auditPage(org.owner, { environment: "production" }, "UTC")).rows).toHaveLength(0);
    expect((await auditPage(org.owner, { user: "nobody@example.com" }, "UTC")).rows).toHaveLength(0);
  });

  it("pages by keyset without gaps or repeats", async () => {
    const all = (await auditPage(org.owner, {}, "UTC", 100)).rows.map((r) => r.seq);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await auditPage(org.owner, { before }, "UTC", 3);
      seen.push(...page.rows.map((r) => r.seq));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(all);
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it("counts activity per day and action, and filters dates in the organization's zone", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const points = await auditActivity(org.owner, {}, "UTC");
    expect(points.find((p) => p.action === "decrypt")).toMatchObject({ day: today, n: 2 });
    expect((await auditPage(org.owner, { from: "2000-01-01", to: "2000-01-02" }, "UTC")).rows).toHaveLength(
      0,
    );
  });

  it("is closed to roles without audit access and refuses malformed filters", async () => {
    const viewer = await org.member("viewer");
    await expect(auditPage(viewer, {}, "UTC")).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "forbidden",
    );
    expect(auditFilters.safeParse({ action: "drop" }).success).toBe(false);
    expect(auditFilters.safeParse({ from: "2026-02-30x" }).success).toBe(false);
    expect(auditFilters.safeParse({ from: "2026-03-02", to: "2026-03-01" }).success).toBe(false);
    expect(auditFilters.parse({ action: "", emergency: "true", before: "10" })).toMatchObject({
      action: undefined,
      emergency: true,
      before: 10,
    });
  });
});
