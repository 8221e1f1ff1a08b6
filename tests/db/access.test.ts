import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "@/db/context";
import { withContext } from "@/db/context";
import { listPolicies } from "@/db/repos/access";
import { AppError } from "@/lib/errors";
import { policyInput } from "@/lib/validation/access";
import { grantPolicy, revokePolicy } from "@/server/access/access";
import { effectiveAccess } from "@/server/access/access-reads";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let dev: TenantContext;
let devEmail: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  org = await makeOrg();
  dev = await org.member("developer");
  const admin = rawSql("super");
  const [row] = await admin<{ email: string }[]>`select email from users where id = ${dev.userId}`;
  await admin.end();
  devEmail = row.email;
  for (const [name, tags] of [
    ["STRIPE_SECRET_KEY", ["payments"]],
    ["RESEND_API_KEY", ["email"]],
  ] as const) {
    ids[name] = (
      await withContext(org.owner, (tx) =>
        createVariable(tx, org.owner, {
          name,
          variableType: "secret",
          // Internal: a production change is MEDIUM, so with write it applies at once; without, it is proposed.
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [...tags],
        }),
      )
    ).id;
  }
});

/** Grants, with a reason; a HIGH grant (write on production) is approved by a reviewer. */
const grant = async (ctx: TenantContext, raw: Record<string, string>) =>
  approveAs(
    org,
    await withContext(ctx, (tx) =>
      grantPolicy(tx, ctx, policyInput.parse(raw), { reason: "Needed for the release weekend" }),
    ),
  );
const writeProd = (name: string, value: string, expectedVersion = 0) =>
  withContext(dev, (tx) =>
    setValue(tx, dev, {
      variableId: ids[name],
      environmentId: org.env.production,
      value,
      expectedVersion,
      note: "Routine rotation of the key",
    }),
  );

describe("access policies", () => {
  it("raise a developer to write production values with a tag, in the action and in RLS alike", async () => {
    // Without write access to production a developer can only propose: the change waits for a reviewer.
    expect(await writeProd("STRIPE_SECRET_KEY", "sk_0")).toMatchObject({ status: "requested" });
    await grant(org.owner, {
      subject: "user",
      email: devEmail,
      permission: "write",
      scope: "tag",
      tag: "payments",
      environments: "production",
    });
    expect(await writeProd("STRIPE_SECRET_KEY", "sk_1")).toMatchObject({ status: "applied", version: 1 });
    expect(await writeProd("RESEND_API_KEY", "re_1")).toMatchObject({ status: "requested" });
    // RLS agrees: a raw insert as the developer for the untagged variable is refused by the database.
    await expectDbError(
      withContext(dev, (tx) =>
        tx.execute(
          `insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
             encryption_key_id, value_hash, created_by)
           select '${org.id}', '${ids.RESEND_API_KEY}', '${org.env.production}', 'x', key_id, 'h', '${dev.userId}'
             from encryption_keys where key_type = 'data' limit 1`,
        ),
      ),
      /row-level security/,
    );
    const access = await effectiveAccess(org.owner, devEmail);
    expect(access?.environments.find((e) => e.name === "production")?.permission).toBe("none");
    expect(access?.scoped).toBe(1);
  });

  it("are listed, revoked with a version, and then no longer apply", async () => {
    const [policy] = await listPolicies(org.owner);
    expect(policy).toMatchObject({
      user: devEmail,
      permission: "write",
      tag: "payments",
      environments: ["production"],
    });
    await withContext(org.owner, (tx) =>
      revokePolicy(tx, org.owner, { id: policy.id, version: policy.version }),
    );
    await expect(
      withContext(org.owner, (tx) => revokePolicy(tx, org.owner, { id: policy.id, version: policy.version })),
    ).rejects.toSatisfy(isCode("conflict:version"));
    expect(await writeProd("STRIPE_SECRET_KEY", "sk_2", 1)).toMatchObject({ status: "requested" });
    expect(await listPolicies(org.owner)).toHaveLength(0);
  });

  it("role grants show in the effective access with the reason", async () => {
    await grant(org.owner, {
      subject: "role",
      role: "developer",
      permission: "read",
      scope: "all",
      environments: "production",
    });
    const access = await effectiveAccess(org.owner, devEmail);
    const production = access?.environments.find((e) => e.name === "production");
    expect(production?.permission).toBe("read");
    expect(production?.reasons.join(" ")).toMatch(/policy for role developer: read in production/);
  });

  it("can only be granted by owners and admins, to members, with valid input", async () => {
    await expect(
      grant(dev, { subject: "role", role: "developer", permission: "admin", scope: "all", environments: "" }),
    ).rejects.toSatisfy(isCode("forbidden"));
    await expect(
      grant(org.owner, {
        subject: "user",
        email: "stranger@example.com",
        permission: "read",
        scope: "all",
        environments: "",
      }),
    ).rejects.toSatisfy((e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.email));
    await expect(
      grant(org.owner, {
        subject: "role",
        role: "viewer",
        permission: "read",
        scope: "all",
        environments: "moon",
      }),
    ).rejects.toSatisfy((e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.environments));
    expect(
      policyInput.safeParse({ subject: "user", permission: "read", scope: "all", environments: "" }).success,
    ).toBe(false);
    expect(
      policyInput.safeParse({
        subject: "role",
        role: "viewer",
        permission: "read",
        scope: "all",
        expiresAt: "2000-01-01",
        environments: "",
      }).success,
    ).toBe(false);
  });
});

describe("time-restricted access policies", () => {
  /** "HH:MM" in UTC (the test organization's zone), hours from now. */
  const hhmm = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);
  const sqlPermission = async (ctx: TenantContext) => {
    const [row] = await withContext(ctx, (tx) =>
      tx.execute<{ p: number }>(sql`select app_value_permission(null, ${org.env.production}::uuid) as p`),
    );
    return row.p;
  };

  it("apply only inside their window, in the action, in RLS and in the effective access alike", async () => {
    const viewer = await org.member("viewer");
    const admin = rawSql("super");
    const [{ email }] = await admin<{ email: string }[]>`select email from users where id = ${viewer.userId}`;
    await admin.end();
    const write = (value: string) =>
      withContext(viewer, (tx) =>
        setValue(tx, viewer, {
          variableId: ids.RESEND_API_KEY,
          environmentId: org.env.production,
          value,
          expectedVersion: 0,
        }),
      );
    const every = "1,2,3,4,5,6,7";
    const [past, soon, later] = [hhmm(-2), hhmm(2), hhmm(4)];
    await grant(org.owner, {
      subject: "user",
      email,
      permission: "write",
      scope: "all",
      environments: "production",
      days: every,
      from: soon,
      to: later,
    });
    await expect(write("re_later")).rejects.toSatisfy(isCode("forbidden"));
    expect(await sqlPermission(viewer)).toBe(0);
    let production = (await effectiveAccess(org.owner, email))?.environments.find(
      (e) => e.name === "production",
    );
    expect(production?.permission).toBe("none");
    expect(production?.reasons.join(" ")).toMatch(/\(not now\)/);

    await grant(org.owner, {
      subject: "user",
      email,
      permission: "write",
      scope: "all",
      environments: "production",
      days: every,
      from: past,
      to: soon,
    });
    expect(await sqlPermission(viewer)).toBe(2);
    await write("re_now");
    production = (await effectiveAccess(org.owner, email))?.environments.find((e) => e.name === "production");
    expect(production?.permission).toBe("write");
    const listed = (await listPolicies(org.owner)).filter((p) => p.user === email);
    expect(listed.map((p) => p.timeRestriction)).toEqual([
      { from: past, to: soon },
      { from: soon, to: later },
    ]);
  });

  it("a window on a day that is not today never applies", async () => {
    const lead = await org.member("lead");
    const today = ((new Date().getUTCDay() + 6) % 7) + 1;
    const other = (today % 7) + 1;
    await grant(org.owner, {
      subject: "role",
      role: "lead",
      permission: "admin",
      scope: "all",
      environments: "production",
      days: String(other),
    });
    expect(await sqlPermission(lead)).toBe(1); // the lead's baseline read, not the grant's admin
  });
});
