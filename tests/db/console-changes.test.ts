import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environments, protectionWindows } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Classification } from "@/lib/risk";
import { policyInput } from "@/lib/validation/access";
import { grantPolicy } from "@/server/access/access";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { updateEnvironment } from "@/server/environments/environments";
import { removeProtection } from "@/server/organizations/settings";
import type { ValueChange } from "@/server/values/values";
import { createVariable, updateVariable } from "@/server/variables/variables";
import { approveAs, dayAfterNext, makeOrg, type TestOrg } from "./support";

/** HIGH console changes (not values) wait as change requests and are replayed on approval. */
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const requestId = (change: ValueChange) => {
  if (change.status !== "requested") throw new Error("expected a change request");
  return change.requestId;
};

let org: TestOrg;
let reviewer: TenantContext;

const variable = (name: string, securityClassification: Classification) =>
  withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification,
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  ).then((v) => v.id);
const approve = (ctx: TenantContext, id: string) =>
  withContext(ctx, (tx) => approveChangeRequest(tx, ctx, { id }));

beforeAll(async () => {
  org = await makeOrg();
  reviewer = await org.member("security_reviewer");
});

describe("console changes", () => {
  it("lifting production's protection waits, and applies when a reviewer approves it", async () => {
    const [production] = await withContext(org.owner, (tx) =>
      tx.select().from(environments).where(eq(environments.id, org.env.production)),
    );
    const input = {
      name: production.name,
      displayName: production.displayName,
      environmentType: "production" as const,
      weddingDayProtection: false,
    };
    const lift = (reason?: string) =>
      withContext(org.owner, (tx) =>
        updateEnvironment(tx, org.owner, production.id, production.version, input, { reason }),
      );
    await expect(lift()).rejects.toSatisfy(
      (e) =>
        isCode("validation")(e) &&
        /wedding-day protection removed/.test(String((e as AppError).fieldErrors?.reason)),
    );
    const waiting = await lift("Moving the protection to the new DR environment");
    expect(waiting).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    const protectedNow = async () =>
      (
        await withContext(org.owner, (tx) =>
          tx
            .select({ p: environments.weddingDayProtection })
            .from(environments)
            .where(eq(environments.id, production.id)),
        )
      )[0].p;
    expect(await protectedNow()).toBe(true);
    await approveAs(org, waiting);
    expect(await protectedNow()).toBe(false);
  });

  it("a console change whose subject moved since it was asked for goes stale", async () => {
    const id = await variable("LEGACY_TOKEN", "confidential");
    const base = {
      name: "LEGACY_TOKEN",
      variableType: "secret" as const,
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    };
    const lower = await withContext(org.owner, (tx) =>
      updateVariable(
        tx,
        org.owner,
        id,
        1,
        { ...base, securityClassification: "internal" },
        { reason: "It is not a secret any more" },
      ),
    );
    expect(lower).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    await withContext(org.owner, (tx) =>
      updateVariable(tx, org.owner, id, 1, {
        ...base,
        securityClassification: "confidential",
        description: "old",
      }),
    );
    expect(await approve(reviewer, requestId(lower as ValueChange))).toEqual({
      status: "stale",
      moved: ["it changed since the request was made"],
    });
  });

  it("removing a weekly window waits; a grant that would reach its approver cannot be approved by them", async () => {
    const [window] = await withContext(org.owner, (tx) =>
      tx
        .insert(protectionWindows)
        .values({
          organizationId: org.id,
          startDay: dayAfterNext(),
          startTime: "00:00",
          endDay: dayAfterNext(),
          endTime: "01:00",
        })
        .returning({ id: protectionWindows.id }),
    );
    const removal = await withContext(org.owner, (tx) =>
      removeProtection(
        tx,
        org.owner,
        { kind: "window", id: window.id },
        { reason: "The venue closed for good" },
      ),
    );
    expect(removal).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    await approveAs(org, removal);
    const left = await withContext(org.owner, (tx) =>
      tx.select().from(protectionWindows).where(eq(protectionWindows.id, window.id)),
    );
    expect(left).toHaveLength(0);

    const grant = await withContext(org.owner, (tx) =>
      grantPolicy(
        tx,
        org.owner,
        policyInput.parse({
          subject: "role",
          role: "security_reviewer",
          permission: "admin",
          scope: "all",
          environments: "",
        }),
        { reason: "Reviewers should be able to fix things" },
      ),
    );
    await expect(approve(reviewer, requestId(grant as ValueChange))).rejects.toSatisfy(isCode("forbidden"));
  });
});
