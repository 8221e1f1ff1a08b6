import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { verifyAuditChain } from "@/db/repos/audit";
import { environmentVariableAudit } from "@/db/schema";
import { applyImport, previewImport } from "@/server/values/dotenv-import";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, rawSql, type TestOrg } from "./support";

let org: TestOrg;

beforeAll(async () => {
  org = await makeOrg();
  await withContext(org.owner, async (tx) => {
    const v = await createVariable(tx, org.owner, {
      name: "TWILIO_AUTH_TOKEN",
      variableType: "secret",
      securityClassification: "confidential",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    });
    for (const [i, env] of [org.env.development, org.env.staging].entries()) {
      await setValue(tx, org.owner, {
        variableId: v.id,
        environmentId: env,
        value: `token-${i}`,
        expectedVersion: 0,
      });
    }
  });
});

describe("the audit hash chain", () => {
  it("numbers and links every row of the organization", async () => {
    const rows = await withContext(org.owner, (tx) =>
      tx
        .select({
          seq: environmentVariableAudit.seq,
          prev: environmentVariableAudit.prevHash,
          hash: environmentVariableAudit.rowHash,
        })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.organizationId, org.id))
        .orderBy(environmentVariableAudit.seq),
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(i + 1);
      expect(row.prev).toBe(i === 0 ? "" : rows[i - 1].hash);
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    });
    expect(await verifyAuditChain(org.owner)).toMatchObject({ checked: rows.length, brokenSeq: null });
  });

  it("stays linked through a bulk import and concurrent bulk writers, and the head moves on", async () => {
    const lines = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix}_${i}=value-${i}`).join("\n");
    await Promise.all(
      ["BULK_A", "BULK_B"].map((prefix, i) =>
        withContext(org.owner, async (tx) => {
          const env = i === 0 ? org.env.development : org.env.staging;
          const text = lines(300, prefix);
          const preview = await previewImport(tx, org.owner, env, text);
          return applyImport(tx, org.owner, { environmentId: env, text, expected: preview.expected });
        }),
      ),
    );
    const admin = rawSql("super");
    const [head] = await admin<
      { seq: number }[]
    >`select seq::int from audit_chain_heads where organization_id = ${org.id}`;
    const [last] = await admin<{ seq: number }[]>`
      select max(seq)::int as seq from environment_variable_audit where organization_id = ${org.id}`;
    await admin.end();
    expect(head.seq).toBe(last.seq);
    expect(last.seq).toBeGreaterThan(1200);
    expect(await verifyAuditChain(org.owner)).toMatchObject({ brokenSeq: null });
  });

  it("stays linear under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withContext(org.owner, (tx) =>
          createVariable(tx, org.owner, {
            name: `CONCURRENT_${i}`,
            variableType: "configuration",
            securityClassification: "internal",
            isRequired: false,
            isWeddingCritical: false,
            tags: [],
          }),
        ),
      ),
    );
    expect((await verifyAuditChain(org.owner)).brokenSeq).toBeNull();
  });

  it("names the row an owner tampered with", async () => {
    const owner = rawSql("owner");
    try {
      await owner.begin(async (tx) => {
        await tx`select set_config('app.organization_id', ${org.id}, true)`;
        await tx`alter table environment_variable_audit disable trigger environment_variable_audit_append_only`;
        await tx`update environment_variable_audit set change_details = '{"name":"innocent"}'
                  where organization_id = ${org.id} and seq = 2`;
        await tx`alter table environment_variable_audit enable trigger environment_variable_audit_append_only`;
      });
    } finally {
      await owner.end();
    }
    const verdict = await verifyAuditChain(org.owner);
    expect(verdict.brokenSeq).toBe(2);
    expect(verdict.reason).toMatch(/does not match its hash/);
  });

  it("names the gap left by a deleted row", async () => {
    const other = await makeOrg();
    await withContext(other.owner, (tx) =>
      createVariable(tx, other.owner, {
        name: "GAP",
        variableType: "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    );
    const s = rawSql("super");
    try {
      await s.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from environment_variable_audit where organization_id = ${other.id} and seq = 1`;
      });
    } finally {
      await s.end();
    }
    const verdict = await verifyAuditChain(other.owner);
    expect(verdict.brokenSeq).toBe(2);
    expect(verdict.reason).toMatch(/row 1 is missing/);
  });

  it("notices the newest rows deleted: the verifier compares the walk with the anchored head", async () => {
    const other = await makeOrg();
    for (const name of ["HEAD_ONE", "HEAD_TWO"])
      await withContext(other.owner, (tx) =>
        createVariable(tx, other.owner, {
          name,
          variableType: "configuration",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        }),
      );
    const before = await verifyAuditChain(other.owner);
    expect(before.brokenSeq).toBeNull();
    const s = rawSql("super");
    try {
      await s.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from environment_variable_audit where organization_id = ${other.id}
                  and seq = (select max(seq) from environment_variable_audit where organization_id = ${other.id})`;
      });
    } finally {
      await s.end();
    }
    const verdict = await verifyAuditChain(other.owner);
    expect(verdict.brokenSeq).toBe(before.checked);
    expect(verdict.reason).toMatch(/missing.*head/);
  });

  it("the app role cannot move the anchored head", async () => {
    const app = rawSql("app");
    try {
      await expect(
        app.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true)`;
          await tx`update audit_chain_heads set seq = 1 where organization_id = ${org.id}`;
        }),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
