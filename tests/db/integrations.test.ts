/**
 * Integration configs (issue 15, seed 002) under the console's governance: typed settings with field errors, one
 * live config per kind and one primary per platform, a production Stripe key that waits for another person, a
 * CRITICAL deletion, wedding hours refusing both unless break-glass, masked before/after in the audit, and
 * another organization seeing nothing (services and SQL as the app role).
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environmentVariableAudit, integrationConfigs } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { integrationCreation, integrationUpdate } from "@/lib/validation/integrations";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { openEmergencySession } from "@/server/emergency/emergency";
import { deleteIntegration, restoreIntegration } from "@/server/integrations/integration-removal";
import { createIntegration, updateIntegration } from "@/server/integrations/integrations";
import { withSession } from "./session-fixture";
import { makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";

let org: TestOrg;
let other: TestOrg;
let reviewer: TenantContext;

beforeAll(async () => {
  [org, other] = await Promise.all([makeOrg(), makeOrg()]);
  reviewer = await org.member("security_reviewer");
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as AppError,
  );
const stripe = (environment: string, extra: Record<string, unknown> = {}) => ({
  platform: "stripe",
  configType: "api_key",
  environment,
  name: "Payments",
  isPrimary: "on",
  isActive: "on",
  "settings.syncIntervalMinutes": "30",
  features: ["syncInvoices"],
  ...extra,
});
const create = async (ctx: TenantContext, raw: Record<string, unknown>) =>
  withContext(ctx, async (tx) => createIntegration(tx, ctx, await integrationCreation.parseAsync(raw)));
const update = async (ctx: TenantContext, raw: Record<string, unknown>) =>
  withContext(ctx, async (tx) => updateIntegration(tx, ctx, await integrationUpdate.parseAsync(raw)));
const row = (id: string) =>
  withContext(
    org.owner,
    async (tx) => (await tx.select().from(integrationConfigs).where(eq(integrationConfigs.id, id)))[0],
  );

describe("an integration config's settings", () => {
  it("refuses bad settings, features and rules with field errors", async () => {
    const error = await failure(
      create(org.owner, {
        ...stripe("development"),
        "settings.syncIntervalMinutes": "1",
        features: ["syncContacts"],
        mappingRules: '[{"from": "email"}]',
        "secrets.apiKey": "sk_x",
      }),
    );
    expect(error.code).toBe("validation");
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(
      ["features.syncContacts", "mappingRules.0.to", "secrets.apiKey", "settings.syncIntervalMinutes"].sort(),
    );
  });

  it("keeps one live config per kind and one primary per platform in an environment", async () => {
    const first = await create(org.owner, { ...stripe("development"), "secrets.secretKey": "sk_test_dev_1" });
    expect(first.secrets).toMatchObject([{ variable: "STRIPE_SECRET_KEY", status: "applied" }]);
    const again = await failure(create(org.owner, stripe("development")));
    expect(again.fieldErrors?.configType?.[0]).toMatch(/already has a Stripe config of this kind/);
    const secondPrimary = await failure(
      create(org.owner, { ...stripe("development"), configType: "webhook" }),
    );
    expect(secondPrimary.fieldErrors?.isPrimary?.[0]).toMatch(/already has a primary Stripe config/);
    const webhook = await create(org.owner, {
      ...stripe("development"),
      configType: "webhook",
      isPrimary: undefined,
    });
    expect(webhook.status).toBe("applied");
  });
});

describe("in production", () => {
  let id: string;

  it("makes a new Stripe secret key a change request another person approves; the audit masks it", async () => {
    const made = await create(org.owner, {
      ...stripe("production"),
      "secrets.secretKey": "sk_live_first",
      reason: "Connecting Stripe for live payments",
    });
    id = made.id;
    expect(made.secrets).toMatchObject([{ field: "secretKey", status: "requested", riskLevel: "HIGH" }]);
    const requestId = made.secrets[0].status === "requested" ? made.secrets[0].requestId : "";
    const decision = await withContext(reviewer, (tx) =>
      approveChangeRequest(tx, reviewer, { id: requestId }),
    );
    expect(decision.status).toBe("approved");
    const changed = await update(org.owner, {
      ...stripe("production"),
      id,
      version: 1,
      "settings.syncIntervalMinutes": "120",
      "secrets.secretKey": "sk_live_rotated",
      reason: "Rotating the key after the Stripe incident",
    });
    expect(changed.secrets).toMatchObject([{ status: "requested", riskLevel: "HIGH" }]);
    const audits = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.resourceType, "integration"),
            eq(environmentVariableAudit.resourceId, id),
          ),
        )
        .orderBy(environmentVariableAudit.seq),
    );
    expect(audits.map((a) => a.action)).toEqual(["create", "update"]);
    expect(audits[1].riskLevel).toBe("HIGH");
    expect(audits[1].changeDetails).toMatchObject({
      changed: { syncIntervalMinutes: { from: 30, to: 120 } },
    });
    expect(JSON.stringify(audits)).not.toMatch(/sk_live/);
  });

  it("makes deleting CRITICAL, applied only when another person approves", async () => {
    const deferred = await withContext(org.owner, (tx) =>
      deleteIntegration(tx, org.owner, { id, version: 2, reason: "Stripe is replaced by the new provider" }),
    );
    expect(deferred).toMatchObject({ status: "requested", riskLevel: "CRITICAL" });
    expect((await row(id)).deletedAt).toBeNull();
    if (deferred.status !== "requested") throw new Error("expected a request");
    await withContext(reviewer, (tx) => approveChangeRequest(tx, reviewer, { id: deferred.requestId }));
    expect((await row(id)).deletedAt).not.toBeNull();
    const restored = await withContext(org.owner, (tx) => restoreIntegration(tx, org.owner, { id }));
    expect(restored.status).toBe("applied");
    expect(await row(id)).toMatchObject({ deletedAt: null, isActive: false });
  });

  it("refuses a key change and a deletion during wedding hours, unless break-glass", async () => {
    const locked = await makeOrg();
    const made = await create(locked.owner, {
      ...stripe("production"),
      "settings.syncIntervalMinutes": "60",
    });
    await startWeddingHours(locked);
    const edit = {
      ...stripe("production"),
      id: made.id,
      version: 1,
      "secrets.secretKey": "sk_live_x",
      reason: "Rotating during the wedding",
    };
    const refused = await failure(update(locked.owner, edit));
    expect(refused.code).toBe("locked:wedding_hours");
    expect(refused.fieldErrors?.form?.[0]).toMatch(
      /Integrations of production cannot change while wedding hours/,
    );
    const deletion = await failure(
      withContext(locked.owner, (tx) =>
        deleteIntegration(tx, locked.owner, {
          id: made.id,
          version: 1,
          reason: "Deleting during the wedding",
        }),
      ),
    );
    expect(deletion.code).toBe("locked:wedding_hours");
    const owner = await withSession(locked.owner);
    const session = await withContext(owner, (tx) =>
      openEmergencySession(tx, owner, {
        environmentId: locked.env.production,
        reason: "Stripe key leaked mid-wedding",
        minutes: 30,
      }),
    );
    const glass = { ...owner, emergencySessionId: session.id };
    const settingsOnly = await update(glass, {
      ...stripe("production"),
      id: made.id,
      version: 1,
      "settings.syncIntervalMinutes": "15",
    });
    expect(settingsOnly.version).toBe(2);
  });
});

describe("who may", () => {
  it("refuses a developer, and the database refuses its row", async () => {
    const developer = await org.member("developer");
    expect((await failure(create(developer, stripe("staging")))).code).toBe("forbidden");
    const sql = rawSql("app");
    try {
      const refused = await sql
        .begin(async (t) => {
          await t`select set_config('app.user_id', ${developer.userId}, true), set_config('app.organization_id', ${org.id}, true)`;
          await t`insert into integration_configs (organization_id, environment_id, platform, config_type, name, created_by)
                  values (${org.id}, ${org.env.staging}, 'stripe', 'settings', 'x', ${developer.userId})`;
        })
        .then(
          () => "",
          (e: Error) => e.message,
        );
      expect(refused).toMatch(/row-level security/);
    } finally {
      await sql.end();
    }
  });

  it("shows another organization nothing of A's configs, health or events", async () => {
    const sql = rawSql("app");
    try {
      const seen = await sql.begin(async (t) => {
        await t`select set_config('app.user_id', ${other.owner.userId}, true), set_config('app.organization_id', ${other.id}, true)`;
        const counts = await t`select (select count(*) from integration_configs)::int as configs,
                                      (select count(*) from integration_health_checks)::int as checks,
                                      (select count(*) from integration_webhook_events)::int as events,
                                      (select count(*) from integration_oauth_connections)::int as oauth`;
        return counts[0];
      });
      expect(seen).toEqual({ configs: 0, checks: 0, events: 0, oauth: 0 });
    } finally {
      await sql.end();
    }
    const [mine] = await withContext(org.owner, (tx) => tx.select().from(integrationConfigs));
    const error = await failure(
      withContext(other.owner, (tx) =>
        deleteIntegration(tx, other.owner, { id: mine.id, version: mine.version }),
      ),
    );
    expect(error.code).toBe("not_found");
  });
});
