import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environmentInOrg } from "@/db/repos/grants";
import { changeRole } from "@/server/access/members";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { type CarriedApproval, type ValueWrite, writeValues } from "@/server/values/value-writes";
import { deleteValue, setValue } from "@/server/values/values";
import { updateVariable } from "@/server/variables/variables";
import { applied, makeOrg, rawSql, type TestOrg } from "./support";
import { refusal, requestId, variable, variableRow, writePathWorld } from "./write-path-fixture";

/**
 * Issue 13: one value write path. Delete goes through writeValues like every other write (so an inactive
 * environment is refused), and no caller skips the gate with a flag: an approval is a change request's id, which
 * the gate verifies itself.
 */
let world: Awaited<ReturnType<typeof writePathWorld>>;
let org: TestOrg;
let other: TestOrg;
let reviewer: TenantContext;
let developer: TenantContext & { email: string };
let ids: Record<string, string>;
const sup = rawSql("super");

/**
 * As the reviewer, in one transaction: approve `approveId` the way approveChangeRequest does (so the database
 * admits its writes), then ask writeValues to write `writes` carrying `approval`.
 */
const writeWithApproval = (
  approveId: string | null,
  approval: CarriedApproval,
  writes: { name: string; value: string | null; expectedVersion: number }[],
) =>
  withContext(reviewer, async (tx) => {
    if (approveId) {
      await tx.execute(sql`update change_requests set status = 'approved', decided_by = ${reviewer.userId},
        decided_at = now(), version = version + 1 where id = ${approveId}`);
      await tx.execute(sql`select set_config('app.change_request_id', ${approveId}, true)`);
    }
    const env = await environmentInOrg(tx, reviewer, org.env.production);
    const batch: ValueWrite[] = [];
    for (const w of writes)
      batch.push({
        variable: await variableRow(tx, ids[w.name]),
        value: w.value,
        expectedVersion: w.expectedVersion,
      });
    return writeValues(tx, reviewer, env, batch, { approval });
  });

beforeAll(async () => {
  world = await writePathWorld();
  ({ org, reviewer, ids } = world);
  other = await makeOrg();
  developer = await org.member("developer");
  ids.FOREIGN = await variable(other, "FOREIGN_KEY");
});

afterAll(async () => {
  await sup.end();
});

describe("delete goes through the one write path", () => {
  it("is refused on an inactive environment, like a set, and the value stays", async () => {
    ids.QA_FLAG = await variable(org, "QA_FLAG", "internal");
    const written = applied(
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: ids.QA_FLAG,
          environmentId: org.env.development,
          value: "on",
          expectedVersion: 0,
        }),
      ),
    );
    await sup`update environments set is_active = false where id = ${org.env.development}`;
    try {
      const target = { variableId: ids.QA_FLAG, environmentId: org.env.development };
      const set = withContext(org.owner, (tx) =>
        setValue(tx, org.owner, { ...target, value: "off", expectedVersion: written.version }),
      );
      await expect(set).rejects.toSatisfy(refusal("validation", /This environment is inactive/));
      const del = withContext(org.owner, (tx) =>
        deleteValue(tx, org.owner, { ...target, expectedVersion: written.version }),
      );
      await expect(del).rejects.toSatisfy(refusal("validation", /This environment is inactive/));
      expect((await world.heads("development", ["QA_FLAG"])).get(ids.QA_FLAG)?.version).toBe(written.version);
    } finally {
      await sup`update environments set is_active = true where id = ${org.env.development}`;
    }
  });
});

describe("an approval carried into the gate is verified, never trusted", () => {
  it("refuses a pending request, another request's id, one for other rows or another value, and an old one", async () => {
    const before = await world.heads("production", ["API_KEY", "WEBHOOK_SECRET", "SMTP_PASSWORD"]);
    const pending = await world.propose("API_KEY", "api_key-v2", 1);
    const webhook = await world.propose("WEBHOOK_SECRET", "webhook_secret-v2", 1);
    const notApproved = /not approved by you in this transaction|is pending/;
    // A pending request's id (nothing approved in this transaction).
    await expect(
      writeWithApproval(null, { requestId: pending }, [
        { name: "API_KEY", value: "api_key-v2", expectedVersion: 1 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", notApproved));
    // Another request's id: WEBHOOK_SECRET's request is approved here, API_KEY's is still pending.
    await expect(
      writeWithApproval(webhook, { requestId: pending }, [
        { name: "API_KEY", value: "api_key-v2", expectedVersion: 1 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", notApproved));
    // The approved request, but for other rows than the ones it names.
    await expect(
      writeWithApproval(webhook, { requestId: webhook }, [
        { name: "API_KEY", value: "webhook_secret-v2", expectedVersion: 1 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /does not cover these rows/));
    // Its own row, but a value, an operation or a base version that was not approved.
    await expect(
      writeWithApproval(webhook, { requestId: webhook }, [
        { name: "WEBHOOK_SECRET", value: "attacker-value", expectedVersion: 1 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /not the one that was approved/));
    await expect(
      writeWithApproval(webhook, { requestId: webhook }, [
        { name: "WEBHOOK_SECRET", value: null, expectedVersion: 1 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /does not cover these rows/));
    // Its rows plus one more.
    await expect(
      writeWithApproval(webhook, { requestId: webhook }, [
        { name: "WEBHOOK_SECRET", value: "webhook_secret-v2", expectedVersion: 1 },
        { name: "SMTP_PASSWORD", value: "smtp-v1", expectedVersion: 0 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /does not cover these rows/));
    // Not even an id, or another organization's request.
    await expect(
      writeWithApproval(null, { requestId: "not-a-request" }, [
        { name: "SMTP_PASSWORD", value: "smtp-v1", expectedVersion: 0 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /no such change request/));
    const foreign = await withContext(other.owner, (tx) =>
      setValue(tx, other.owner, {
        variableId: ids.FOREIGN,
        environmentId: other.env.production,
        value: "foreign-v1",
        expectedVersion: 0,
        note: "Another organization's request",
      }),
    ).then(requestId);
    await expect(
      writeWithApproval(null, { requestId: foreign }, [
        { name: "SMTP_PASSWORD", value: "smtp-v1", expectedVersion: 0 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", /no such change request/));
    // The real approval applies; carried again later (already applied), it admits nothing.
    await withContext(reviewer, (tx) => approveChangeRequest(tx, reviewer, { id: webhook }));
    await expect(
      writeWithApproval(null, { requestId: webhook }, [
        { name: "WEBHOOK_SECRET", value: "webhook_secret-v2", expectedVersion: 2 },
      ]),
    ).rejects.toSatisfy(refusal("approval_required", notApproved));
    const after = await world.heads("production", ["API_KEY", "WEBHOOK_SECRET", "SMTP_PASSWORD"]);
    expect(after.get(ids.API_KEY)).toEqual(before.get(ids.API_KEY));
    expect(after.get(ids.WEBHOOK_SECRET)?.version).toBe(2);
    expect(after.has(ids.SMTP_PASSWORD)).toBe(false);
  });

  it("refuses a console change that carries a forged approval, before any capability is skipped", async () => {
    const before = await withContext(org.owner, (tx) => variableRow(tx, ids.SMTP_PASSWORD));
    const pending = await world.propose("API_KEY", "api_key-v3", 1);
    const forged = withContext(developer, (tx) =>
      updateVariable(
        tx,
        developer,
        ids.SMTP_PASSWORD,
        before.version,
        {
          name: "SMTP_PASSWORD",
          variableType: "secret",
          securityClassification: "public",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        },
        { approval: { requestId: pending } },
      ),
    );
    await expect(forged).rejects.toSatisfy(refusal("approval_required"));
    const promote = withContext(developer, (tx) =>
      changeRole(
        tx,
        developer,
        { userId: developer.userId, role: "admin" },
        { approval: { requestId: pending } },
      ),
    );
    await expect(promote).rejects.toSatisfy(refusal("approval_required"));
    const after = await withContext(org.owner, (tx) => variableRow(tx, ids.SMTP_PASSWORD));
    expect(after.securityClassification).toBe("confidential");
    expect(after.version).toBe(before.version);
  });
});
