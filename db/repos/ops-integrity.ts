import { desc, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { opsIntegrityResults } from "@/db/schema";

/**
 * The integrity checks' reads (issue 17), in one organization's job context under row-level security: what
 * should not exist, counted, and a sample of sealed values per key to decrypt. Never a plaintext.
 */
export type IntegrityCounts = {
  valuesWithoutVariable: number;
  valuesWithoutEnvironment: number;
  historyWithoutVariable: number;
  valuesWithoutKey: number;
  historyWithoutKey: number;
};

export async function integrityCounts(tx: Tx, organizationId: string): Promise<IntegrityCounts> {
  const [row] = await tx.execute<IntegrityCounts>(sql`
    SELECT
      (SELECT count(*) FROM environment_variable_values x
         LEFT JOIN environment_variables v ON v.id = x.variable_id AND v.organization_id = x.organization_id
        WHERE x.organization_id = ${organizationId} AND v.id IS NULL)::int AS "valuesWithoutVariable",
      (SELECT count(*) FROM environment_variable_values x
         LEFT JOIN environments e ON e.id = x.environment_id AND e.organization_id = x.organization_id
        WHERE x.organization_id = ${organizationId} AND e.id IS NULL)::int AS "valuesWithoutEnvironment",
      (SELECT count(*) FROM value_versions x
         LEFT JOIN environment_variables v ON v.id = x.variable_id AND v.organization_id = x.organization_id
        WHERE x.organization_id = ${organizationId} AND v.id IS NULL)::int AS "historyWithoutVariable",
      (SELECT count(*) FROM environment_variable_values x
         LEFT JOIN encryption_keys k ON k.key_id = x.encryption_key_id AND k.organization_id = x.organization_id
        WHERE x.organization_id = ${organizationId} AND k.key_id IS NULL)::int AS "valuesWithoutKey",
      (SELECT count(*) FROM value_versions x
         LEFT JOIN encryption_keys k ON k.key_id = x.encryption_key_id AND k.organization_id = x.organization_id
        WHERE x.organization_id = ${organizationId} AND x.encryption_key_id IS NOT NULL AND k.key_id IS NULL)::int
        AS "historyWithoutKey"`);
  return row;
}

export type SealedSample = {
  keyId: string;
  variableId: string;
  environmentId: string;
  ciphertext: string;
  hash: string;
};

/** Up to `perKey` current values sealed by each of the organization's data keys. */
export async function sampleByKey(tx: Tx, organizationId: string, perKey = 3): Promise<SealedSample[]> {
  return tx.execute<SealedSample>(sql`
    SELECT "keyId", "variableId", "environmentId", ciphertext, hash FROM (
      SELECT x.encryption_key_id AS "keyId", x.variable_id::text AS "variableId",
             x.environment_id::text AS "environmentId", x.encrypted_value AS ciphertext, x.value_hash AS hash,
             row_number() OVER (PARTITION BY x.encryption_key_id ORDER BY x.id) AS n
        FROM environment_variable_values x
       WHERE x.organization_id = ${organizationId} AND x.value_hash IS NOT NULL) s
     WHERE n <= ${perKey} ORDER BY "keyId"`);
}

/** Records one organization's result (migration 0046, the job runner's proof). */
export async function recordIntegrity(
  db: Database,
  proof: string,
  organizationId: string,
  ok: boolean,
  result: Record<string, unknown>,
) {
  await db.execute(
    sql`SELECT ops_record_integrity(${proof}, ${organizationId}::uuid, ${ok}, ${JSON.stringify(result)}::jsonb)`,
  );
}

/** Every organization's latest result, failures first (operators only, by row-level security). */
export async function integrityResults(tx: Tx) {
  return tx
    .select({
      organizationId: opsIntegrityResults.organizationId,
      checkedAt: opsIntegrityResults.checkedAt,
      ok: opsIntegrityResults.ok,
      result: opsIntegrityResults.result,
    })
    .from(opsIntegrityResults)
    .orderBy(opsIntegrityResults.ok, desc(opsIntegrityResults.checkedAt));
}
