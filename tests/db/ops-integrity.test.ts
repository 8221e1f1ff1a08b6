/**
 * Integrity checks (issue 17) on a real PostgreSQL: an organization that is whole passes; a planted orphan (a
 * value whose variable is another organization's), a broken audit chain and a tampered ciphertext are each
 * found and raise their alert, which clears once the damage is repaired. Only operators read the results; only
 * the job runner records them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantOperator } from "@/db/operators";
import { AppError } from "@/lib/errors";
import { alertsOverview } from "@/server/ops/alerts";
import { checkIntegrityNow, integrityOverview, runIntegrityChecks } from "@/server/ops/integrity";
import { expectDbError, makeOrg, rawSql } from "./support";
import { valueFixture } from "./value-fixture";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const su = rawSql("super");
let fx: Awaited<ReturnType<typeof valueFixture>>;
let operator: { userId: string; email: string };

const mine = async () =>
  (await integrityOverview({ userId: operator.userId })).find((r) => r.organizationId === fx.org.id);
const openFor = async (orgId: string) =>
  (await alertsOverview({ userId: operator.userId })).open
    .filter((a) => a.subject === orgId)
    .map((a) => a.rule);
/** Writes past the triggers (append-only audit, value gates), as damage would. */
const damage = (fn: (t: typeof su) => Promise<unknown>) =>
  su.begin(async (t) => {
    await t`set local session_replication_role = replica`;
    await fn(t as unknown as typeof su);
  });

beforeAll(async () => {
  fx = await valueFixture();
  const member = await fx.org.member("on_call");
  operator = { userId: member.userId, email: member.email };
  const owner = rawSql("owner");
  try {
    await grantOperator(owner, operator.email);
  } finally {
    await owner.end();
  }
});

afterAll(async () => {
  await su.end();
});

describe("integrity checks", () => {
  it("pass an organization that is whole, with a sample decrypted under each data key", async () => {
    await runIntegrityChecks();
    const result = await mine();
    expect(result?.ok).toBe(true);
    expect(result?.problems).toEqual([]);
    expect(result?.report.organization.slug).toBe(fx.org.slug);
    expect(result?.report.chain.brokenSeq).toBeNull();
    expect(result?.report.chain.rows).toBeGreaterThan(0);
    expect(result?.report.sample).toEqual([expect.objectContaining({ checked: 3, passed: 3 })]);
    expect(await openFor(fx.org.id)).toEqual([]);
  });

  it("find a planted orphan, a broken chain and a tampered ciphertext, and clear once they are repaired", async () => {
    const other = await makeOrg();
    const [foreign] = await su<{ id: string }[]>`
      insert into environment_variables (organization_id, name, variable_type, security_classification, created_by)
      values (${other.id}, 'FOREIGN_KEY_NAME', 'secret', 'internal', ${other.owner.userId}) returning id`;
    const [first] = await su<{ id: string; sealed: string }[]>`
      select id, encrypted_value as sealed from environment_variable_values
       where organization_id = ${fx.org.id} order by id limit 1`;
    const [second] = await su<{ sealed: string }[]>`
      select encrypted_value as sealed from environment_variable_values
       where organization_id = ${fx.org.id} order by id offset 1 limit 1`;
    const [audit] = await su<{ id: string; note: string | null }[]>`
      select id, risk_level as note from environment_variable_audit
       where organization_id = ${fx.org.id} order by seq limit 1`;
    let planted = "";
    await damage(async (t) => {
      const [row] = await t<{ id: string }[]>`
        insert into environment_variable_values (organization_id, variable_id, environment_id, encrypted_value,
                                                 encryption_key_id, value_hash, created_by)
        select organization_id, ${foreign.id}, environment_id, encrypted_value, encryption_key_id, value_hash, created_by
          from environment_variable_values where id = ${first.id} returning id`;
      planted = row.id;
      await t`update environment_variable_audit set risk_level = case when risk_level = 'HIGH' then 'LOW' else 'HIGH' end where id = ${audit.id}`;
      await t`update environment_variable_values set encrypted_value = ${second.sealed} where id = ${first.id}`;
    });
    await runIntegrityChecks();
    const result = await mine();
    expect(result?.ok).toBe(false);
    expect(result?.problems).toEqual(
      expect.arrayContaining([
        "1 values whose variable is not the organization's",
        // The tampered row is the first by id, so always sampled; the planted copy (its AAD names another
        // variable) fails too when the sample takes it.
        expect.stringMatching(/^[12] of 3 sampled values under data:.* do not decrypt to their hash$/),
      ]),
    );
    expect(result?.report.chain.brokenSeq).toBe(1);
    expect((await openFor(fx.org.id)).sort()).toEqual(["chain_break", "integrity"]);

    await damage(async (t) => {
      await t`delete from environment_variable_values where id = ${planted}`;
      await t`update environment_variable_audit set risk_level = ${audit.note} where id = ${audit.id}`;
      await t`update environment_variable_values set encrypted_value = ${first.sealed} where id = ${first.id}`;
    });
    await checkIntegrityNow({ userId: operator.userId });
    expect((await mine())?.ok).toBe(true);
    expect(await openFor(fx.org.id)).toEqual([]);
    const [logged] = await su<{ actor: string }[]>`
      select actor from ops_events where action = 'integrity.check' order by occurred_at desc limit 1`;
    expect(logged.actor).toBe(operator.email.toLowerCase());
  });

  it("are read by operators only and recorded by the job runner only", async () => {
    await expect(integrityOverview(fx.org.owner)).rejects.toSatisfy(isCode("forbidden"));
    await expect(checkIntegrityNow(fx.org.owner)).rejects.toSatisfy(isCode("forbidden"));
    const app = rawSql("app");
    try {
      await expectDbError(
        app`select ops_record_integrity('not the proof', ${fx.org.id}::uuid, true, '{}'::jsonb)`,
        /only the job runner records integrity checks/,
      );
    } finally {
      await app.end();
    }
  });
});
