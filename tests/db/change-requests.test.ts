// Longer than 300 lines: one change request's whole life (propose, decide, apply, stale, expired) on one shared fixture; split by stage it would repeat that fixture.
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { changeRequests, environmentVariableAudit } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Classification, RISK_LEVELS, riskOf } from "@/lib/risk";
import { ENVIRONMENT_TYPES } from "@/lib/roles";
import { revealProposedValue } from "@/server/approvals/change-request-reveal";
import {
  approveChangeRequest,
  cancelChangeRequest,
  rejectChangeRequest,
} from "@/server/approvals/change-requests";
import { deleteValue, revealValue, setValue, type ValueChange } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { withSession } from "./session-fixture";
import { approveAs, expectDbError, makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const requestId = (change: ValueChange) => {
  if (change.status !== "requested") throw new Error("expected a change request");
  return change.requestId;
};

let org: TestOrg;
let dev: TenantContext;
let reviewer: TenantContext;
let viewer: TenantContext;
let stripe: string;

const variable = (name: string, securityClassification: Classification, isWeddingCritical = false) =>
  withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification,
      isRequired: false,
      isWeddingCritical,
      tags: [],
    }),
  ).then((v) => v.id);

const propose = (
  ctx: TenantContext,
  variableId: string,
  value: string,
  expectedVersion: number,
  note?: string,
) =>
  withContext(ctx, (tx) =>
    setValue(tx, ctx, { variableId, environmentId: org.env.production, value, expectedVersion, note }),
  );
const approve = (ctx: TenantContext, id: string, note?: string) =>
  withContext(ctx, (tx) => approveChangeRequest(tx, ctx, { id, note }));
let owner: TenantContext & { sessionId: string };
const reveal = (variableId: string) =>
  withContext(owner, (tx) => revealValue(tx, owner, { variableId, environmentId: org.env.production }));
const status = async (id: string) => {
  const [row] = await withContext(org.owner, (tx) =>
    tx
      .select({ status: changeRequests.status, note: changeRequests.decisionNote })
      .from(changeRequests)
      .where(eq(changeRequests.id, id)),
  );
  return row;
};

beforeAll(async () => {
  org = await makeOrg();
  // Revealing production wedding-critical values needs a freshly verified session (step-up).
  owner = await withSession(org.owner);
  dev = await org.member("developer");
  reviewer = await org.member("security_reviewer");
  viewer = await org.member("viewer");
  stripe = await variable("STRIPE_SECRET_KEY", "confidential");
  await approveAs(org, await propose(org.owner, stripe, "sk_live_first", 0, "The first live key"));
});

describe("risk in SQL", () => {
  it("agrees with lib/risk for every classification, flag, environment type and action", async () => {
    const cases = ["public", "internal", "confidential", "wedding_day_critical"].flatMap((classification) =>
      [false, true].flatMap((weddingCritical) =>
        ENVIRONMENT_TYPES.flatMap((environmentType) =>
          (["set", "delete"] as const).map((op) => ({
            classification,
            weddingCritical,
            environmentType,
            op,
          })),
        ),
      ),
    );
    const s = rawSql("app");
    try {
      for (const c of cases) {
        const [row] = await s<{ rank: number }[]>`select value_change_risk(${c.classification},
          ${c.weddingCritical}, ${c.environmentType}, ${c.op}) as rank`;
        const expected = riskOf({
          action: c.op === "set" ? "value:set" : "value:delete",
          classification: c.classification as Classification,
          weddingCritical: c.weddingCritical,
          environmentType: c.environmentType,
        }).level;
        expect({ ...c, level: RISK_LEVELS[row.rank] }).toEqual({ ...c, level: expected });
      }
    } finally {
      await s.end();
    }
    expect(cases).toHaveLength(80);
  });
});

describe("four eyes", () => {
  it("a developer's production change waits; they cannot approve it; a reviewer approves and it applies", async () => {
    const id = requestId(await propose(dev, stripe, "sk_live_second", 1, "Rotating after the vendor notice"));
    expect(await status(id)).toMatchObject({ status: "pending" });
    expect((await reveal(stripe)).value).toBe("sk_live_first");
    await expect(approve(dev, id)).rejects.toSatisfy(isCode("forbidden"));
    await expect(approve(viewer, id)).rejects.toSatisfy(isCode("forbidden"));
    // The proposed value only through an audited reveal, and only for those who may read production's values
    // (the review's finding 5): an owner may; a security reviewer, the developer and a viewer may not.
    expect(
      (await withContext(owner, (tx) => revealProposedValue(tx, owner, { id, variableId: stripe }))).value,
    ).toBe("sk_live_second");
    for (const ctx of [reviewer, dev, viewer])
      await expect(
        withContext(ctx, (tx) => revealProposedValue(tx, ctx, { id, variableId: stripe })),
      ).rejects.toSatisfy(isCode("forbidden"));

    expect(await approve(reviewer, id, "Checked with Stripe")).toEqual({ status: "approved", applied: 1 });
    expect(await reveal(stripe)).toEqual({ value: "sk_live_second", version: 2, resolved: null });
    await expect(approve(org.owner, id)).rejects.toSatisfy(isCode("conflict:decided"));

    const trail = await withContext(org.owner, (tx) =>
      tx
        .select({
          action: environmentVariableAudit.action,
          resource: environmentVariableAudit.resourceType,
          user: environmentVariableAudit.userId,
          risk: environmentVariableAudit.riskLevel,
          details: environmentVariableAudit.changeDetails,
        })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.variableId, stripe))
        .orderBy(environmentVariableAudit.seq),
    );
    const last = trail
      .filter((r) => !(r.action === "decrypt" && r.resource === "value"))
      .slice(-4)
      .map((r) => `${r.action} ${r.resource} ${r.risk}`);
    expect(last).toEqual([
      "create change_request HIGH",
      "decrypt change_request null",
      "update value HIGH",
      "approve change_request HIGH",
    ]);
    const applied = trail.filter((r) => r.resource === "value" && r.action === "update").at(-1);
    if (!applied) throw new Error("no value update in the trail");
    expect(applied.user).toBe(reviewer.userId);
    expect(JSON.stringify(applied.details)).toContain(`Change request ${id.slice(0, 8)}`);
  });

  it("a request whose value moved since it was asked for is marked stale and applies nothing", async () => {
    const first = requestId(
      await propose(dev, stripe, "sk_live_third", 2, "Third key, from the new account"),
    );
    const second = requestId(await propose(dev, stripe, "sk_live_other", 2, "Or maybe this key instead"));
    expect(await approve(reviewer, first)).toMatchObject({ status: "approved" });
    expect(await approve(reviewer, second)).toEqual({ status: "stale", moved: ["STRIPE_SECRET_KEY"] });
    expect(await status(second)).toMatchObject({ status: "stale" });
    expect((await reveal(stripe)).value).toBe("sk_live_third");
  });

  it("is rejected with a note the requester reads, or withdrawn by the requester only", async () => {
    const id = requestId(await propose(dev, stripe, "sk_live_nope", 3, "Trying the sandbox key here"));
    await expect(
      withContext(dev, (tx) => rejectChangeRequest(tx, dev, { id, note: "self" })),
    ).rejects.toSatisfy(isCode("forbidden"));
    expect(
      await withContext(reviewer, (tx) => rejectChangeRequest(tx, reviewer, { id, note: "Wrong account" })),
    ).toEqual({ status: "rejected" });
    expect(await status(id)).toEqual({ status: "rejected", note: "Wrong account" });
    expect((await reveal(stripe)).value).toBe("sk_live_third");

    const other = requestId(await propose(dev, stripe, "sk_live_later", 3, "Prepared for next week"));
    await expect(
      withContext(reviewer, (tx) => cancelChangeRequest(tx, reviewer, { id: other })),
    ).rejects.toSatisfy(isCode("forbidden"));
    expect(await withContext(dev, (tx) => cancelChangeRequest(tx, dev, { id: other }))).toEqual({
      status: "cancelled",
    });
    await expect(approve(reviewer, other)).rejects.toSatisfy(isCode("conflict:decided"));
  });

  it("expires: an expired request cannot be approved", async () => {
    const id = requestId(await propose(dev, stripe, "sk_live_old", 3, "Queued before the holidays"));
    // A request's content never changes, not even its expiry: the superuser skips the guard to age it.
    const s = rawSql("super");
    await s.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update change_requests set expires_at = now() - interval '1 minute' where id = ${id}`;
    });
    await s.end();
    expect(await approve(reviewer, id)).toEqual({ status: "expired" });
    expect(await status(id)).toMatchObject({ status: "expired" });
  });

  it("a deletion of a critical value waits too, and applies on approval", async () => {
    const critical = await variable("DATABASE_URL_REPLICA", "wedding_day_critical", true);
    await approveAs(org, await propose(org.owner, critical, "postgres://replica", 0, "Replica for reports"));
    const del = (note?: string) =>
      withContext(org.owner, (tx) =>
        deleteValue(tx, org.owner, {
          variableId: critical,
          environmentId: org.env.production,
          expectedVersion: 1,
          note,
        }),
      );
    await expect(del()).rejects.toSatisfy(
      (e) => isCode("validation")(e) && /CRITICAL/.test(String((e as AppError).fieldErrors?.note)),
    );
    const change = await del("Replica retired on Monday");
    expect(change).toMatchObject({ status: "requested", riskLevel: "CRITICAL" });
    expect((await reveal(critical)).value).toBe("postgres://replica");
    await approveAs(org, change);
    await expect(reveal(critical)).rejects.toSatisfy(isCode("not_found"));
  });
});

describe("the database enforces it", () => {
  it("refuses a HIGH change written past the app, and a replayed approval", async () => {
    // An admin's own app-context write of a confidential production value, without a request: refused.
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update environment_variable_values set value_hash = 'forged', version = version + 1
          where variable_id = ${stripe} and environment_id = ${org.env.production}`),
      ),
      /approval_required/,
    );
    // An approved request admits its writes only in the transaction that approved it.
    const [approved] = await withContext(org.owner, (tx) =>
      tx
        .select({ id: changeRequests.id })
        .from(changeRequests)
        .where(and(eq(changeRequests.organizationId, org.id), eq(changeRequests.status, "approved")))
        .limit(1),
    );
    const replay = (ctx: TenantContext) =>
      withContext(ctx, async (tx) => {
        await tx.execute(sql`select set_config('app.change_request_id', ${approved.id}, true)`);
        return tx.execute(sql`update environment_variable_values set value_hash = 'forged'
          where variable_id = ${stripe} and environment_id = ${org.env.production} returning id`);
      });
    // The reviewer who approved it earlier may not write production at all now: no row is theirs to change.
    expect(await replay(reviewer)).toHaveLength(0);
    // An admin may write production, but the database wants a request approved in this very transaction.
    await expectDbError(replay(org.owner), /approval_required/);
    expect((await reveal(stripe)).value).toBe("sk_live_third");
  });

  it("refuses a requester who approves their own request in SQL, and a decision twice", async () => {
    const id = requestId(await propose(dev, stripe, "sk_live_sql", 3, "Trying to sneak it in"));
    await expectDbError(
      withContext(dev, (tx) =>
        tx.execute(sql`update change_requests set status = 'approved', decided_by = ${dev.userId},
          decided_at = now() where id = ${id}`),
      ),
      /reviewer other than the requester|four_eyes/,
    );
    await withContext(reviewer, (tx) => rejectChangeRequest(tx, reviewer, { id, note: "No sneaking" }));
    await expectDbError(
      withContext(reviewer, (tx) =>
        tx.execute(sql`update change_requests set status = 'pending' where id = ${id}`),
      ),
      /already rejected/,
    );
  });

  it("keeps another organization's requests out of reach", async () => {
    const other = await makeOrg();
    const otherReviewer = await other.member("security_reviewer");
    const id = requestId(await propose(dev, stripe, "sk_live_x", 3, "Another rotation attempt"));
    await expect(approve(otherReviewer, id)).rejects.toSatisfy(isCode("not_found"));
    const seen = await withContext(otherReviewer, (tx) => tx.select().from(changeRequests));
    expect(seen).toHaveLength(0);
    await withContext(dev, (tx) => cancelChangeRequest(tx, dev, { id }));
  });

  it("stores proposed values encrypted, never in plaintext", async () => {
    const canary = "sk_live_PROPOSAL_CANARY_7777";
    requestId(await propose(dev, stripe, canary, 3, "Canary proposal for the scan"));
    const s = rawSql("super");
    try {
      const columns = await s<{ table_name: string; column_name: string }[]>`
        select table_name, column_name from information_schema.columns
         where table_schema = 'public' and table_name like 'change_request%'
           and data_type in ('text', 'character varying', 'jsonb')`;
      for (const c of columns) {
        const [hit] = await s.unsafe(
          `select count(*)::int as n from ${c.table_name} where ${c.column_name}::text like '%' || $1 || '%'`,
          [canary],
        );
        expect({ column: `${c.table_name}.${c.column_name}`, n: hit.n }).toEqual({
          column: `${c.table_name}.${c.column_name}`,
          n: 0,
        });
      }
    } finally {
      await s.end();
    }
  });

  it("cannot be approved into a locked environment during wedding hours; the request waits", async () => {
    const locked = await makeOrg();
    const lockedReviewer = await locked.member("security_reviewer");
    const key = await withContext(locked.owner, (tx) =>
      createVariable(tx, locked.owner, {
        name: "RESEND_API_KEY",
        variableType: "api_key",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    const change = await withContext(locked.owner, (tx) =>
      setValue(tx, locked.owner, {
        variableId: key.id,
        environmentId: locked.env.production,
        value: "re_live_one",
        expectedVersion: 0,
        note: "Before the wedding weekend",
      }),
    );
    await startWeddingHours(locked);
    await expect(
      withContext(lockedReviewer, (tx) =>
        approveChangeRequest(tx, lockedReviewer, { id: requestId(change) }),
      ),
    ).rejects.toSatisfy(isCode("locked:wedding_hours"));
    const [row] = await withContext(locked.owner, (tx) =>
      tx.select({ status: changeRequests.status }).from(changeRequests),
    );
    expect(row.status).toBe("pending");
  });
});
