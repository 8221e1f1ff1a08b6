import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { changeRequests, environmentVariableAudit, environmentVariableValues } from "@/db/schema";
import { changeRole } from "@/server/access/members";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { setValue } from "@/server/values/values";
import { approveAs } from "./support";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;
let developer: TenantContext;
let reviewer: TenantContext;

const production = async (name: string) => {
  const [row] = await withContext(f.org.owner, (tx) =>
    tx
      .select({ version: environmentVariableValues.version, hash: environmentVariableValues.valueHash })
      .from(environmentVariableValues)
      .where(
        and(
          eq(environmentVariableValues.variableId, f.ids[name]),
          eq(environmentVariableValues.environmentId, f.org.env.production),
        ),
      ),
  );
  return row;
};
const valueAudits = async (name: string) =>
  withContext(f.org.owner, (tx) =>
    tx
      .select({ action: environmentVariableAudit.action })
      .from(environmentVariableAudit)
      .where(
        and(
          eq(environmentVariableAudit.variableId, f.ids[name]),
          eq(environmentVariableAudit.environmentId, f.org.env.production),
          eq(environmentVariableAudit.resourceType, "value"),
        ),
      ),
  );
const requestCount = async () => {
  const [row] = await withContext(f.org.owner, (tx) =>
    tx.select({ n: sql<number>`count(*)::int` }).from(changeRequests),
  );
  return row.n;
};

beforeAll(async () => {
  f = await valueFixture();
  await f.set("STRIPE_SECRET_KEY", "production", "sk_live_51Hproductionkey00");
  developer = await f.org.member("developer");
  reviewer = await f.org.member("security_reviewer");
});

describe("a change request that changes nothing", () => {
  it("is refused when opened by someone who can see it changes nothing (conflict:no_change)", async () => {
    const before = { value: await production("STRIPE_SECRET_KEY"), requests: await requestCount() };
    const opened = withContext(f.org.owner, (tx) =>
      setValue(tx, f.org.owner, {
        variableId: f.ids.STRIPE_SECRET_KEY,
        environmentId: f.org.env.production,
        value: "sk_live_51Hproductionkey00",
        expectedVersion: before.value.version,
        note: "Same value again, by mistake",
      }),
    );
    await expect(opened).rejects.toSatisfy(isCode("conflict:no_change"));
    await expect(opened).rejects.toMatchObject({ status: 409 });
    expect(await requestCount()).toBe(before.requests);
    expect(await production("STRIPE_SECRET_KEY")).toEqual(before.value);
  });

  it("approved when it proposed the current value, writes and audits no value change", async () => {
    // The developer cannot read production: refusing at once would tell them the value (an oracle).
    const before = await production("STRIPE_SECRET_KEY");
    const audits = (await valueAudits("STRIPE_SECRET_KEY")).length;
    const change = await withContext(developer, (tx) =>
      setValue(tx, developer, {
        variableId: f.ids.STRIPE_SECRET_KEY,
        environmentId: f.org.env.production,
        value: "sk_live_51Hproductionkey00",
        expectedVersion: before.version,
        note: "Rotate the live key (same one, as it turns out)",
      }),
    );
    expect(change.status).toBe("requested");
    const id = change.status === "requested" ? change.requestId : "";
    const decision = await withContext(reviewer, (tx) => approveChangeRequest(tx, reviewer, { id }));
    expect(decision).toEqual({ status: "approved", applied: 0 });
    expect(await production("STRIPE_SECRET_KEY")).toEqual(before);
    expect((await valueAudits("STRIPE_SECRET_KEY")).length).toBe(audits);
    const [approval] = await withContext(f.org.owner, (tx) =>
      tx
        .select({ details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(
          and(eq(environmentVariableAudit.resourceId, id), eq(environmentVariableAudit.action, "approve")),
        ),
    );
    expect(approval.details).toMatchObject({ applied: 0, unchanged: ["STRIPE_SECRET_KEY"] });
  });

  it("a real change is still requested and applied (the check compares values, not requests)", async () => {
    const before = await production("STRIPE_SECRET_KEY");
    const change = await withContext(f.org.owner, (tx) =>
      setValue(tx, f.org.owner, {
        variableId: f.ids.STRIPE_SECRET_KEY,
        environmentId: f.org.env.production,
        value: "sk_live_51Hrotatedkey0000",
        expectedVersion: before.version,
        note: "Rotate the live key",
      }),
    );
    expect(change.status).toBe("requested");
    await approveAs(f.org, change);
    expect((await production("STRIPE_SECRET_KEY")).version).toBe(before.version + 1);
  });

  it("a role change to the role the member already has is refused, whether it would wait or apply", async () => {
    const admin = await f.org.member("admin");
    const requests = await requestCount();
    for (const role of ["admin", "developer"] as const) {
      const target = role === "admin" ? admin : developer;
      await expect(
        withContext(f.org.owner, (tx) =>
          changeRole(tx, f.org.owner, { userId: target.userId, role }, { reason: "Make them what they are" }),
        ),
      ).rejects.toSatisfy(isCode("conflict:no_change"));
    }
    expect(await requestCount()).toBe(requests);
    const memberAudits = await withContext(f.org.owner, (tx) =>
      tx
        .select({ id: environmentVariableAudit.id })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.resourceType, "member"),
            eq(environmentVariableAudit.action, "update"),
          ),
        ),
    );
    expect(memberAudits).toEqual([]);
  });
});
