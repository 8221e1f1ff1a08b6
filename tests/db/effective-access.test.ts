import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { policyInput } from "@/lib/validation/access";
import { grantPolicy } from "@/server/access/access";
import { effectiveAccess } from "@/server/access/access-reads";
import { createVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, type TestOrg } from "./support";

let org: TestOrg;
let dev: TenantContext & { email: string };
const ids: Record<string, string> = {};
const LEVEL = ["none", "read", "write", "admin"] as const;

const grant = async (raw: Record<string, string>) =>
  approveAs(
    org,
    await withContext(org.owner, (tx) =>
      grantPolicy(tx, org.owner, policyInput.parse(raw), { reason: "Needed for the release weekend" }),
    ),
  );

beforeAll(async () => {
  org = await makeOrg();
  dev = await org.member("developer");
  for (const [name, tags] of [
    ["STRIPE_SECRET_KEY", ["payments"]],
    ["STRIPE_WEBHOOK_SECRET", ["payments"]],
    ["RESEND_API_KEY", ["email"]],
    ["POSTHOG_KEY", []],
  ] as const)
    ids[name] = (
      await withContext(org.owner, (tx) =>
        createVariable(tx, org.owner, {
          name,
          variableType: "secret",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [...tags],
        }),
      )
    ).id;
  await grant({
    subject: "user",
    email: dev.email,
    permission: "read",
    scope: "variable",
    variable: "RESEND_API_KEY",
    environments: "production",
  });
  await grant({
    subject: "role",
    role: "developer",
    permission: "write",
    scope: "tag",
    tag: "payments",
    environments: "production",
  });
});

describe("effective access", () => {
  it("shows what variable- and tag-scoped grants give, per variable and environment", async () => {
    const access = await effectiveAccess(org.owner, dev.email);
    expect(access?.environments.find((e) => e.name === "production")?.permission).toBe("none");
    expect(access?.variables.map((v) => [v.variable, v.environment, v.permission])).toEqual([
      ["RESEND_API_KEY", "production", "read"],
      ["STRIPE_SECRET_KEY", "production", "write"],
      ["STRIPE_WEBHOOK_SECRET", "production", "write"],
    ]);
    const resend = access?.variables.find((v) => v.variable === "RESEND_API_KEY");
    expect(resend?.reasons.join("; ")).toMatch(/policy for this user: read on one variable in production/);
  });

  it("agrees with the database's own permission for every variable and environment", async () => {
    const access = await effectiveAccess(org.owner, dev.email);
    if (!access) throw new Error("the developer is a member");
    const shown = (variable: string, environment: string) =>
      access.variables.find((v) => v.variable === variable && v.environment === environment)?.permission ??
      access.environments.find((e) => e.name === environment)?.permission;
    const actual = await withContext(dev, (tx) =>
      tx.execute<{ variable: string; environment: string; level: number }>(
        `select v.name as variable, e.name as environment, app_value_permission(v.id, e.id) as level
           from environment_variables v cross join environments e
          where v.organization_id = '${org.id}' and e.organization_id = '${org.id}'`,
      ),
    );
    expect(actual).toHaveLength(12);
    for (const row of actual)
      expect([row.variable, row.environment, shown(row.variable, row.environment)]).toEqual([
        row.variable,
        row.environment,
        LEVEL[row.level],
      ]);
  });
});
