import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { setValue } from "@/server/values/values";
import { purgeAllOrganizations } from "@/server/variables/purge";
import { createVariable, deleteVariable, restoreVariable } from "@/server/variables/variables";
import { approveAs, db, makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";

let org: TestOrg;

async function deletedVariable(name: string, envs: (keyof TestOrg["env"])[], daysAgo: number) {
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
  for (const env of envs)
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: v.id,
          environmentId: org.env[env],
          value: `${name}-secret`,
          expectedVersion: 0,
          note: "Production secret for the purge test",
        }),
      ),
    );
  // Deleting a variable with a production value deletes that value: it waits for a reviewer (finding 7).
  await approveAs(
    org,
    await withContext(org.owner, (tx) =>
      deleteVariable(tx, org.owner, v.id, 1, { reason: "Retired with its integration" }),
    ),
  );
  const admin = rawSql("super");
  await admin`update environment_variables set deleted_at = now() - make_interval(days => ${daysAgo}) where id = ${v.id}`;
  await admin.end();
  return v.id;
}

async function leftovers(variableId: string) {
  const admin = rawSql("super");
  const [row] = await admin<{ values: number; versions: number; purged: boolean }[]>`
    select (select count(*)::int from environment_variable_values where variable_id = ${variableId}) as values,
           (select count(*)::int from value_versions where variable_id = ${variableId}) as versions,
           (select purged_at is not null from environment_variables where id = ${variableId}) as purged`;
  await admin.end();
  return row;
}

beforeAll(async () => {
  org = await makeOrg();
});

describe("the purge job", () => {
  it("destroys values and history 90 days after deletion, keeps the row for the audit trail", async () => {
    const old = await deletedVariable("OLD_TOKEN", ["development", "staging"], 91);
    const recent = await deletedVariable("RECENT_TOKEN", ["development"], 10);
    const result = await purgeAllOrganizations(db());
    expect(result.purged).toBeGreaterThanOrEqual(1);
    expect(await leftovers(old)).toEqual({ values: 0, versions: 0, purged: true });
    expect(await leftovers(recent)).toMatchObject({ values: 1, purged: false });
    const audit = await withContext(org.owner, (tx) =>
      tx
        .select({ action: environmentVariableAudit.action, details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.variableId, old)),
    );
    expect(audit.some((a) => a.action === "delete" && (a.details as { purged?: boolean }).purged)).toBe(true);
    await expect(withContext(org.owner, (tx) => restoreVariable(tx, org.owner, old))).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "not_found",
    );
    await withContext(org.owner, (tx) => restoreVariable(tx, org.owner, recent));
    expect((await purgeAllOrganizations(db())).purged).toBe(0);
  });

  it("is refused to anyone but an owner or admin, and waits while production is locked", async () => {
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => tx.execute("select purge_deleted_variables()")),
    ).rejects.toThrow();
    const locked = await deletedVariable("LOCKED_TOKEN", ["production"], 120);
    await startWeddingHours(org);
    await purgeAllOrganizations(db());
    expect(await leftovers(locked)).toMatchObject({ values: 1, purged: false });
  });
});
