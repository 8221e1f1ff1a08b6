import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { changeRequestItems, environmentVariables } from "@/db/schema";
import { setValue, type ValueChange } from "@/server/values/values";
import { createVariable, deleteVariable, restoreVariable } from "@/server/variables/variables";
import { approveAs, expectDbError, makeOrg, type TestOrg } from "./support";

/**
 * Review finding 7: the database's four-eyes gate compared only the value hash, so the ciphertext of an
 * unapproved proposal could be committed under an approved request's hash. The gate now binds the approved
 * ciphertext, key, hash, variable, environment and base version; soft-deleting and restoring a variable (which
 * removes or brings back its values) go through the same gate.
 */
let org: TestOrg;
let dev: TenantContext;
let reviewer: TenantContext;

const secret = (name: string, isWeddingCritical = false) =>
  withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification: "confidential",
      isRequired: false,
      isWeddingCritical,
      tags: [],
    }),
  ).then((v) => v.id);

const requestId = (change: ValueChange) => {
  if (change.status !== "requested") throw new Error("expected a change request");
  return change.requestId;
};

beforeAll(async () => {
  org = await makeOrg();
  dev = await org.member("developer");
  reviewer = await org.member("security_reviewer");
});

describe("finding 7: the gate binds the approved ciphertext", () => {
  it("an approved request cannot carry another proposal's ciphertext in under its hash", async () => {
    const id = await secret("PAYMENTS_WEBHOOK_SECRET", true);
    const propose = (value: string) =>
      withContext(dev, (tx) =>
        setValue(tx, dev, {
          variableId: id,
          environmentId: org.env.production,
          value,
          expectedVersion: 0,
          note: "Initial production secret",
        }),
      ).then(requestId);
    const approved = await propose("whsec_reviewed");
    const sneaky = await propose("whsec_never_reviewed");
    const item = async (requestId: string) =>
      (
        await withContext(org.owner, (tx) =>
          tx.select().from(changeRequestItems).where(eq(changeRequestItems.changeRequestId, requestId)),
        )
      )[0];
    const good = await item(approved);
    const bad = await item(sneaky);
    // The approver's own transaction: approve the first request, then write the second one's ciphertext. A
    // reviewer (no write of their own) is stopped by the row policies, an owner (who may write) by the gate.
    const smuggle = (ctx: TenantContext) =>
      withContext(ctx, async (tx) => {
        await tx.execute(sql`update change_requests set status = 'approved', decided_by = ${ctx.userId},
          decided_at = now(), version = version + 1 where id = ${approved}`);
        await tx.execute(sql`select set_config('app.change_request_id', ${approved}, true)`);
        await tx.execute(sql`insert into environment_variable_values (organization_id, variable_id, environment_id,
          encrypted_value, encryption_key_id, value_hash, version, created_by, updated_by)
          values (${org.id}, ${id}, ${org.env.production}, ${bad.newEncryptedValue}, ${bad.encryptionKeyId},
                  ${good.newValueHash}, 1, ${ctx.userId}, ${ctx.userId})`);
      });
    await expectDbError(smuggle(reviewer), /approval_required|row-level security/);
    await expectDbError(smuggle(org.owner), /approval_required/);
    // The approved ciphertext itself goes through.
    await withContext(reviewer, async (tx) => {
      await tx.execute(sql`update change_requests set status = 'approved', decided_by = ${reviewer.userId},
        decided_at = now(), version = version + 1 where id = ${approved}`);
      await tx.execute(sql`select set_config('app.change_request_id', ${approved}, true)`);
      await tx.execute(sql`insert into environment_variable_values (organization_id, variable_id, environment_id,
        encrypted_value, encryption_key_id, value_hash, version, created_by, updated_by)
        values (${org.id}, ${id}, ${org.env.production}, ${good.newEncryptedValue}, ${good.encryptionKeyId},
                ${good.newValueHash}, 1, ${reviewer.userId}, ${reviewer.userId})`);
    });
  });
});

describe("finding 7: soft delete and restore go through the same gate", () => {
  let id: string;
  const version = async () =>
    (
      await withContext(org.owner, (tx) =>
        tx
          .select({ version: environmentVariables.version, deletedAt: environmentVariables.deletedAt })
          .from(environmentVariables)
          .where(and(eq(environmentVariables.id, id))),
      )
    )[0];

  beforeAll(async () => {
    id = await secret("QUICKBOOKS_CLIENT_SECRET");
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: id,
          environmentId: org.env.production,
          value: "qb-live",
          expectedVersion: 0,
          note: "Production client secret",
        }),
      ),
    );
  });

  it("deleting a variable whose production value is confidential waits (it deletes that value)", async () => {
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update environment_variables set deleted_at = now() where id = ${id}`),
      ),
      /approval_required/,
    );
    const change = await withContext(org.owner, async (tx) =>
      deleteVariable(tx, org.owner, id, (await version()).version, { reason: "QuickBooks is gone" }),
    );
    expect(change).toMatchObject({ status: "requested", riskLevel: "CRITICAL" });
    expect((await version()).deletedAt).toBeNull();
    await approveAs(org, change);
    expect((await version()).deletedAt).not.toBeNull();
  });

  it("restoring it brings the value back: it waits too", async () => {
    await expectDbError(
      withContext(org.owner, (tx) =>
        tx.execute(sql`update environment_variables set deleted_at = null where id = ${id}`),
      ),
      /approval_required/,
    );
    const change = await withContext(org.owner, (tx) =>
      restoreVariable(tx, org.owner, id, { reason: "QuickBooks is back" }),
    );
    expect(change).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    await approveAs(org, change);
    expect((await version()).deletedAt).toBeNull();
  });
});

describe("finding 2 (same class): the value gate does not trust a classification lowered a minute before", () => {
  it("refuses lowering a classification or the wedding-critical flag in SQL without an approved request", async () => {
    const id = await secret("HUBSPOT_PRIVATE_APP_TOKEN", true);
    for (const change of [sql`security_classification = 'public'`, sql`is_wedding_critical = false`])
      await expectDbError(
        withContext(org.owner, (tx) =>
          tx.execute(sql`update environment_variables set ${change} where id = ${id}`),
        ),
        /approval_required/,
      );
    // Raising it is fine.
    await withContext(org.owner, (tx) =>
      tx.execute(
        sql`update environment_variables set security_classification = 'wedding_day_critical' where id = ${id}`,
      ),
    );
  });
});
