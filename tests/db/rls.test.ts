import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import {
  environments,
  environmentVariableAudit,
  environmentVariables,
  environmentVariableValues,
  organizations,
} from "@/db/schema";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

const variable = {
  name: "STRIPE_SECRET_KEY",
  variableType: "api_key" as const,
  securityClassification: "confidential" as const,
  isRequired: true,
  isWeddingCritical: true,
  tags: ["payments"],
};

let a: TestOrg;
let b: TestOrg;
let bVariableId: string;

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  await withContext(b.owner, async (tx) => {
    bVariableId = (await createVariable(tx, b.owner, variable)).id;
    await setValue(tx, b.owner, {
      variableId: bVariableId,
      environmentId: b.env.staging,
      value: "sk_test_b",
      expectedVersion: 0,
    });
  });
});

describe("row-level security, connected as the app role", () => {
  it("hides another organization's rows", async () => {
    const seen = await withContext(a.owner, async (tx) => ({
      orgs: await tx.select({ id: organizations.id }).from(organizations),
      envs: await tx
        .select({ id: environments.id })
        .from(environments)
        .where(eq(environments.organizationId, b.id)),
      vars: await tx.select({ id: environmentVariables.id }).from(environmentVariables),
      values: await tx.select({ id: environmentVariableValues.id }).from(environmentVariableValues),
      audit: await tx
        .select({ id: environmentVariableAudit.id })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.organizationId, b.id)),
    }));
    expect(seen.orgs.map((o) => o.id)).toEqual([a.id]);
    expect(seen.envs).toHaveLength(0);
    expect(seen.vars).toHaveLength(0);
    expect(seen.values).toHaveLength(0);
    expect(seen.audit).toHaveLength(0);
  });

  it("cannot update, delete or insert into another organization", async () => {
    const updated = await withContext(a.owner, (tx) =>
      tx
        .update(environmentVariables)
        .set({ description: "hijacked" })
        .where(eq(environmentVariables.id, bVariableId))
        .returning({ id: environmentVariables.id }),
    );
    expect(updated).toHaveLength(0);
    const deleted = await withContext(a.owner, (tx) =>
      tx
        .delete(environmentVariableValues)
        .where(eq(environmentVariableValues.variableId, bVariableId))
        .returning(),
    );
    expect(deleted).toHaveLength(0);
    await expectDbError(
      withContext(a.owner, (tx) =>
        tx.insert(environments).values({
          organizationId: b.id,
          name: "evil",
          displayName: "Evil",
          environmentType: "development",
        }),
      ),
      /row-level security/,
    );
    const sqlB = rawSql("super");
    const [row] = await sqlB`select description from environment_variables where id = ${bVariableId}`;
    await sqlB.end();
    expect(row.description).toBeNull();
  });

  it("shows nothing when no context is set", async () => {
    const app = rawSql("app");
    try {
      for (const table of [
        "organizations",
        "environments",
        "environment_variables",
        "environment_variable_values",
        "environment_variable_audit",
        "encryption_keys",
        "memberships",
      ]) {
        const rows = await app.unsafe(`select count(*)::int as n from ${table}`);
        expect(rows[0].n, table).toBe(0);
      }
    } finally {
      await app.end();
    }
  });

  it("refuses to update or delete audit rows, even for the owner", async () => {
    await expectDbError(
      withContext(b.owner, (tx) =>
        tx.update(environmentVariableAudit).set({ action: "read" }).where(sql`true`),
      ),
      /permission denied|append-only/,
    );
    await expectDbError(
      withContext(b.owner, (tx) => tx.delete(environmentVariableAudit).where(sql`true`)),
      /permission denied|append-only/,
    );
    const owner = rawSql("owner");
    try {
      await expect(
        owner.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${b.id}, true)`;
          await tx`delete from environment_variable_audit`;
        }),
      ).rejects.toThrow(/append-only/);
      await expect(owner`truncate environment_variable_audit`).rejects.toThrow(/append-only|foreign key/);
    } finally {
      await owner.end();
    }
  });

  it("lets a viewer read development but neither write it nor see production rows", async () => {
    const viewer = await b.member("viewer");
    await expectDbError(
      withContext(viewer, (tx) =>
        tx.insert(environmentVariableValues).values({
          organizationId: b.id,
          variableId: bVariableId,
          environmentId: b.env.development,
          encryptedValue: "v1.x.y.z",
          encryptionKeyId: `data:${b.id}:1`,
          valueHash: "forged",
          createdBy: viewer.userId,
        }),
      ),
      /row-level security/,
    );
    await approveAs(
      b,
      await withContext(b.owner, (tx) =>
        setValue(tx, b.owner, {
          variableId: bVariableId,
          environmentId: b.env.production,
          value: "sk_live_b",
          expectedVersion: 0,
          note: "Live key for the RLS test",
        }),
      ),
    );
    const visible = await withContext(viewer, (tx) =>
      tx.select({ env: environmentVariableValues.environmentId }).from(environmentVariableValues),
    );
    expect(visible.map((v) => v.env)).toEqual([b.env.staging]);
  });
});

afterAll(async () => {});
