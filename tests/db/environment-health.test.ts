import { beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "@/db/context";
import { environmentHealth } from "@/db/repos/health";
import { matrixPage } from "@/db/repos/matrix";
import { listVariables } from "@/db/repos/variables";
import { makeOrg, rawSql } from "./support";
import { valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;
let admin: TenantContext;
let developer: TenantContext;
let viewer: TenantContext;
let onCall: TenantContext;
let reviewer: TenantContext;

/** Status and counts per environment: what must not depend on who asks. */
const summary = async (ctx: TenantContext) =>
  Object.fromEntries(
    (await environmentHealth(ctx)).map((e) => [
      e.name,
      {
        status: e.health.status,
        missing: e.health.missing_variables,
        drift: e.health.configuration_drift,
        validations: e.health.failed_validations,
        reasons: e.health.reasons,
      },
    ]),
  );

beforeAll(async () => {
  f = await valueFixture();
  // Production: STRIPE_SECRET_KEY (required) is set, RESEND_API_KEY (required) is not.
  await f.set("STRIPE_SECRET_KEY", "production", "sk_live_51Hproductionkey00");
  await f.variable("RESEND_API_KEY", "api_key", { isRequired: true });
  await f.set("RESEND_API_KEY", "staging", "re_staging_key_1234");
  admin = await f.org.member("admin");
  developer = await f.org.member("developer");
  viewer = await f.org.member("viewer");
  onCall = await f.org.member("on_call");
  reviewer = await f.org.member("security_reviewer");
});

describe("environment health is the same for every member", () => {
  it("gives developers, viewers, on-call and reviewers the admin's status and counts", async () => {
    const expected = await summary(admin);
    expect(expected.production).toMatchObject({ status: "critical", missing: 1 });
    expect(expected.staging).toMatchObject({ status: "healthy", missing: 0 });
    expect(expected.development).toMatchObject({ status: "critical", missing: 2 });
    for (const who of [developer, viewer, onCall, reviewer]) expect(await summary(who)).toEqual(expected);
  });

  it("names the missing variables only to those who may read the environment's values", async () => {
    const names = async (ctx: TenantContext) =>
      Object.fromEntries(
        (await environmentHealth(ctx)).map((e) => [
          e.name,
          { named: e.health.missing_names, hidden: e.health.missing_hidden },
        ]),
      );
    expect(await names(admin)).toEqual({
      development: { named: ["RESEND_API_KEY", "STRIPE_SECRET_KEY"], hidden: 0 },
      staging: { named: [], hidden: 0 },
      production: { named: ["RESEND_API_KEY"], hidden: 0 },
    });
    // A developer reads development but not production; a viewer the same; the counts stay the same.
    expect(await names(developer)).toEqual({
      development: { named: ["RESEND_API_KEY", "STRIPE_SECRET_KEY"], hidden: 0 },
      staging: { named: [], hidden: 0 },
      production: { named: [], hidden: 1 },
    });
    expect((await names(viewer)).production).toEqual({ named: [], hidden: 1 });
    const viewerProduction = (await environmentHealth(viewer)).find((e) => e.name === "production");
    expect(viewerProduction?.health.missing_variables).toBe(1);
    expect(JSON.stringify(viewerProduction)).not.toContain("RESEND_API_KEY");
  });

  it("gives another organization's member nothing, through the app or straight SQL", async () => {
    const other = await makeOrg();
    const outsider: TenantContext = { ...other.owner, organizationId: f.org.id, role: "owner" };
    expect(await environmentHealth(outsider)).toEqual([]);
    const app = rawSql("app");
    try {
      const rows = await app.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${other.owner.userId}, true),
                        set_config('app.organization_id', ${f.org.id}, true)`;
        return tx`select get_environment_health(${f.org.env.production}::uuid) as health`;
      });
      expect(rows).toEqual([{ health: null }]);
      // Its own organization's context does not open another organization's environment either.
      const cross = await app.begin(async (tx) => {
        await tx`select set_config('app.user_id', ${other.owner.userId}, true),
                        set_config('app.organization_id', ${other.id}, true)`;
        return tx`select get_environment_health(${f.org.env.production}::uuid) as health`;
      });
      expect(cross).toEqual([{ health: null }]);
    } finally {
      await app.end();
    }
  });

  it("the matrix's status filters look only at environments the caller may read, never at what RLS hid", async () => {
    const names = async (ctx: TenantContext, status: Parameters<typeof matrixPage>[1]["status"]) =>
      (await matrixPage(ctx, { status, offset: 0, limit: 50 })).rows.map((r) => r.name);
    // Production holds STRIPE_SECRET_KEY: the admin sees it is set there; a viewer cannot see production at all.
    expect(await names(admin, { kind: "missing", environment: "production" })).not.toContain(
      "STRIPE_SECRET_KEY",
    );
    expect(await names(viewer, { kind: "missing", environment: "production" })).toEqual([]);
    // Required and missing somewhere the caller may read: development lacks both required variables.
    expect(await names(viewer, { kind: "required_missing" })).toEqual([
      "RESEND_API_KEY",
      "STRIPE_SECRET_KEY",
    ]);
    expect(await names(viewer, { kind: "differs", environments: ["staging", "production"] })).toEqual([]);
  });

  it("the variables list says 'hidden', not 'missing', where the caller may not see the values", async () => {
    const cells = async (ctx: TenantContext) =>
      Object.fromEntries(
        (await listVariables(ctx, {})).map((v) => [
          v.name,
          v.setIn.includes(f.org.env.production)
            ? "set"
            : v.hiddenIn.includes(f.org.env.production)
              ? "hidden"
              : "missing",
        ]),
      );
    expect(await cells(admin)).toMatchObject({ STRIPE_SECRET_KEY: "set", RESEND_API_KEY: "missing" });
    expect(await cells(viewer)).toMatchObject({ STRIPE_SECRET_KEY: "hidden", RESEND_API_KEY: "hidden" });
    expect((await listVariables(viewer, {})).every((v) => !v.hiddenIn.includes(f.org.env.staging))).toBe(
      true,
    );
  });
});
