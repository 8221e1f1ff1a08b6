// Longer than 300 lines: every read path (reveal, export, history, compare) against the same grants, one table of cases.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { configurationDrift, environmentVariableAudit } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { policyInput } from "@/lib/validation/access";
import { targetInput } from "@/lib/validation/targets";
import { grantPolicy } from "@/server/access/access";
import { revealProposedValue } from "@/server/approvals/change-request-reveal";
import { scanTarget } from "@/server/drift/drift";
import { resolveDrift } from "@/server/drift/drift-resolution";
import { createTarget } from "@/server/targets/sync-targets";
import { exportEnvironment } from "@/server/values/export";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable, updateVariable } from "@/server/variables/variables";
import { ageVerification, withSession } from "./session-fixture";
import { approveAs, expectDbError, makeOrg, type TestOrg } from "./support";
import { loopbackDeployment } from "./target-fixture";

/**
 * Review findings 4, 5, 6 and 12: paths that gave someone a value they may not read — tagging a variable into
 * a tag-scoped grant, adopting drift and revealing the proposal, exporting without step-up — and a drift
 * branch (dismiss) that checked no permission at all.
 */
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const SECRET = "a-shared-secret-for-the-production-receiver";

let org: TestOrg;
let owner: TenantContext & { sessionId: string };
let dev: TenantContext & { sessionId: string };
let viewer: TenantContext;
let reviewer: TenantContext & { sessionId: string };
let onCall: TenantContext;
let stripe: string;
let twilio: string;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let driftId: string;

const base = {
  name: "STRIPE_SECRET_KEY",
  variableType: "api_key" as const,
  securityClassification: "confidential" as const,
  isRequired: true,
  isWeddingCritical: false,
};

beforeAll(async () => {
  org = await makeOrg();
  owner = await withSession(org.owner);
  dev = await withSession(await org.member("developer"));
  viewer = await org.member("viewer");
  reviewer = await withSession(await org.member("security_reviewer"));
  onCall = await org.member("on_call");
  stripe = (await withContext(org.owner, (tx) => createVariable(tx, org.owner, { ...base, tags: [] }))).id;
  twilio = (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, { ...base, name: "TWILIO_AUTH_TOKEN", tags: [] }),
    )
  ).id;
  await approveAs(
    org,
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: twilio,
        environmentId: org.env.production,
        value: "twilio-live-token",
        expectedVersion: 0,
        note: "The production token",
      }),
    ),
  );
  await approveAs(
    org,
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: stripe,
        environmentId: org.env.production,
        value: "sk_live_the_real_one",
        expectedVersion: 0,
        note: "The production key",
      }),
    ),
  );
  // A production receiver whose deployed value drifts from the console's.
  deployment = await loopbackDeployment(SECRET);
  const created = await approveAs(
    org,
    await withContext(org.owner, (tx) =>
      createTarget(
        tx,
        org.owner,
        targetInput.parse({
          environmentId: org.env.production,
          name: "web-prod",
          kind: "http",
          location: deployment.url,
          secret: SECRET,
          scanIntervalMinutes: "15",
        }),
        { reason: "The production web tier" },
      ),
    ),
  );
  expect(created.status).toBe("requested");
  await deployment.deployed.apply({ set: { STRIPE_SECRET_KEY: "sk_live_deployed_by_hand" }, delete: [] });
  const [target] = await withContext(org.owner, (tx) =>
    tx.execute<{ id: string }>(sql`select id from sync_targets where name = 'web-prod'`),
  );
  await scanTarget(org.owner, target.id);
  const [drift] = await withContext(org.owner, (tx) =>
    tx
      .select({ id: configurationDrift.id })
      .from(configurationDrift)
      .where(
        and(
          eq(configurationDrift.variableName, "STRIPE_SECRET_KEY"),
          eq(configurationDrift.organizationId, org.id),
        ),
      ),
  );
  driftId = drift.id;
});

afterAll(async () => {
  await deployment?.close();
});

describe("finding 4: widening who can read is authorized as a grant", () => {
  const tw = { ...base, name: "TWILIO_AUTH_TOKEN" };
  it("a developer cannot tag a production secret into a grant that lets developers read it", async () => {
    await withContext(org.owner, (tx) =>
      grantPolicy(
        tx,
        org.owner,
        policyInput.parse({
          subject: "role",
          role: "developer",
          permission: "read",
          scope: "tag",
          tag: "ops-visible",
          environments: "production",
        }),
      ),
    );
    const [v] = await withContext(org.owner, (tx) =>
      tx.execute<{ version: number }>(sql`select version from environment_variables where id = ${twilio}`),
    );
    await expect(
      withContext(dev, (tx) => updateVariable(tx, dev, twilio, v.version, { ...tw, tags: ["ops-visible"] })),
    ).rejects.toSatisfy(isCode("forbidden"));
    await expectDbError(
      withContext(dev, (tx) =>
        tx.execute(sql`update environment_variables set tags = array['ops-visible'] where id = ${twilio}`),
      ),
      /forbidden|access/,
    );
    await expect(
      withContext(dev, (tx) =>
        revealValue(tx, dev, { variableId: twilio, environmentId: org.env.production }),
      ),
    ).rejects.toSatisfy(isCode("forbidden"));
  });

  it("an admin may (it is a read grant), and the audit row says whom it opened it to", async () => {
    const [v] = await withContext(org.owner, (tx) =>
      tx.execute<{ version: number }>(sql`select version from environment_variables where id = ${twilio}`),
    );
    const change = await withContext(org.owner, (tx) =>
      updateVariable(tx, org.owner, twilio, v.version, { ...tw, tags: ["ops-visible"] }),
    );
    expect(change).toMatchObject({ status: "applied" });
    const [row] = await withContext(org.owner, (tx) =>
      tx
        .select({ details: environmentVariableAudit.changeDetails, risk: environmentVariableAudit.riskLevel })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.variableId, twilio),
            eq(environmentVariableAudit.resourceType, "variable"),
          ),
        )
        .orderBy(sql`seq desc`)
        .limit(1),
    );
    expect(JSON.stringify(row.details)).toMatch(/developer/);
    expect(row.risk).toBe("MEDIUM");
  });

  it("a tag that brings write on production into reach waits for a reviewer", async () => {
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        grantPolicy(
          tx,
          org.owner,
          policyInput.parse({
            subject: "role",
            role: "developer",
            permission: "write",
            scope: "tag",
            tag: "deployers",
            environments: "production",
          }),
          { reason: "Deployers rotate their own keys" },
        ),
      ),
    );
    const [v] = await withContext(org.owner, (tx) =>
      tx.execute<{ version: number }>(sql`select version from environment_variables where id = ${twilio}`),
    );
    const change = await withContext(org.owner, (tx) =>
      updateVariable(
        tx,
        org.owner,
        twilio,
        v.version,
        { ...tw, tags: ["ops-visible", "deployers"] },
        { reason: "Let the deployers own it" },
      ),
    );
    expect(change).toMatchObject({ status: "requested", riskLevel: "HIGH" });
  });
});

describe("finding 5: adopting drift and revealing a proposal need read permission", () => {
  it("a developer cannot adopt production drift (and so cannot reveal it as a proposal)", async () => {
    await expect(
      resolveDrift(dev, { id: driftId, action: "adopt", note: "take what is deployed" }),
    ).rejects.toSatisfy(isCode("forbidden"));
  });

  it("a proposal is revealed only by those who may read the value", async () => {
    const [v] = await withContext(org.owner, (tx) =>
      tx.execute<{ version: number }>(
        sql`select version from environment_variable_values where variable_id = ${stripe} and environment_id = ${org.env.production}`,
      ),
    );
    const proposed = await withContext(dev, (tx) =>
      setValue(tx, dev, {
        variableId: stripe,
        environmentId: org.env.production,
        value: "sk_live_from_the_developer",
        expectedVersion: v.version,
        note: "Rotated on the Stripe dashboard",
      }),
    );
    if (proposed.status !== "requested") throw new Error("expected a change request");
    const reveal = (ctx: TenantContext) =>
      withContext(ctx, (tx) => revealProposedValue(tx, ctx, { id: proposed.requestId, variableId: stripe }));
    await expect(reveal(dev)).rejects.toSatisfy(isCode("forbidden"));
    await expect(reveal(reviewer)).rejects.toSatisfy(isCode("forbidden"));
    await expect(reveal(viewer)).rejects.toSatisfy(isCode("forbidden"));
    expect((await reveal(owner)).value).toBe("sk_live_from_the_developer");
  });
});

describe("finding 6: every branch of drift resolution checks a permission", () => {
  it("viewers, security reviewers and developers (in production) cannot dismiss drift; on-call can", async () => {
    for (const ctx of [viewer, reviewer, dev])
      await expect(
        resolveDrift(ctx, { id: driftId, action: "dismiss", note: "not my problem" }),
      ).rejects.toSatisfy(isCode("forbidden"));
    expect(
      await resolveDrift(onCall, { id: driftId, action: "dismiss", note: "Known hand edit, ticket 12" }),
    ).toEqual({ status: "resolved", resolution: "dismissed" });
  });
});

describe("finding 6 (same class): a scan needs read permission on the environment's values", () => {
  it("viewers, security reviewers and developers cannot scan production's target; on-call can", async () => {
    const [target] = await withContext(org.owner, (tx) =>
      tx.execute<{ id: string }>(sql`select id from sync_targets where name = 'web-prod'`),
    );
    for (const ctx of [viewer, reviewer, dev])
      await expect(scanTarget(ctx, target.id)).rejects.toSatisfy(isCode("forbidden"));
    expect((await scanTarget(onCall, target.id)).ok).toBe(true);
  });
});

describe("finding 12: export needs the same step-up as a reveal, and audits every value", () => {
  it("refuses a production export of wedding-critical values without a recent re-authentication", async () => {
    const o = await makeOrg();
    const admin = await withSession(o.owner);
    const critical = (
      await withContext(o.owner, (tx) =>
        createVariable(tx, o.owner, { ...base, name: "DATABASE_URL", isWeddingCritical: true, tags: [] }),
      )
    ).id;
    await approveAs(
      o,
      await withContext(o.owner, (tx) =>
        setValue(tx, o.owner, {
          variableId: critical,
          environmentId: o.env.production,
          value: "postgres://live",
          expectedVersion: 0,
          note: "The production database",
        }),
      ),
    );
    await ageVerification(admin.sessionId, 10);
    await expect(
      withContext(admin, (tx) => exportEnvironment(tx, admin, o.env.production, "env")),
    ).rejects.toSatisfy(isCode("reauth_required"));
    const fresh = await withSession(o.owner);
    const out = await withContext(fresh, (tx) => exportEnvironment(tx, fresh, o.env.production, "env"));
    expect(out.count).toBe(1);
    const reveals = await withContext(o.owner, (tx) =>
      tx
        .select({ id: environmentVariableAudit.id })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.variableId, critical),
            eq(environmentVariableAudit.action, "decrypt"),
            eq(environmentVariableAudit.environmentId, o.env.production),
          ),
        ),
    );
    expect(reveals).toHaveLength(1);
  });
});
