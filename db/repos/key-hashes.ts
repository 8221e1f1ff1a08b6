import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * The hash-key half of a rotation (migration 0041): pairs of hashes recorded while values are re-encrypted, the
 * values whose hash no pair covers yet, and the swap of every stored hash through the pairs. All under row-level
 * security, as the organization's owner or admin the job acts as.
 */

/** Where value hashes are stored, as the swap rewrites them (audit rows keep theirs: the chain covers them). */
const HASH_COLUMNS = [
  { table: "environment_variable_values", column: "value_hash" },
  { table: "value_versions", column: "value_hash" },
  { table: "change_request_items", column: "new_value_hash" },
  { table: "change_request_items", column: "base_value_hash" },
  { table: "configuration_drift", column: "expected_value_hash" },
  { table: "configuration_drift", column: "actual_value_hash" },
] as const;

/** The value stores whose ciphertext a hash belongs to: what can be decrypted to hash it again. */
const VALUE_STORES = [
  { store: "values", table: "environment_variable_values", sealed: "encrypted_value", hash: "value_hash" },
  { store: "value_versions", table: "value_versions", sealed: "encrypted_value", hash: "value_hash" },
  {
    store: "change_request_items",
    table: "change_request_items",
    sealed: "new_encrypted_value",
    hash: "new_value_hash",
  },
] as const;

const ident = (name: string) => sql.identifier(name);
const arrayLiteral = (values: string[]) => `{${values.map((v) => `"${v}"`).join(",")}}`;

/** The next version number of the organization's hash key. */
export async function nextHashKeyVersion(tx: Tx, organizationId: string): Promise<number> {
  const [row] = await tx.execute<{ v: number }>(sql`
    SELECT coalesce(max(key_version), 0)::int + 1 AS v FROM encryption_keys
     WHERE organization_id = ${organizationId} AND key_type = 'hmac'`);
  return row.v;
}

/** Fresh planner statistics of the pairs (migration 0041): read by the swap's joins. */
export async function analyzeHashPairs(tx: Tx) {
  await tx.execute(sql`select analyze_rotation_hashes()`);
}

/** Takes the organization's key lock exclusively (every write of values takes it shared, 0041): the swap's first step. */
export async function lockOrgKeysExclusive(tx: Tx, organizationId: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`ringbearer.org-keys:${organizationId}`}, 0))`,
  );
}

export async function insertHashPairs(
  tx: Tx,
  rotationId: string,
  organizationId: string,
  pairs: { from: string; to: string }[],
) {
  if (pairs.length === 0) return;
  // Hex digests only: safe inside an array literal.
  await tx.execute(sql`
    INSERT INTO key_rotation_hashes (rotation_id, organization_id, old_hash, new_hash)
    SELECT ${rotationId}::uuid, ${organizationId}::uuid, x.old_hash, x.new_hash
      FROM unnest(${arrayLiteral(pairs.map((p) => p.from))}::text[], ${arrayLiteral(pairs.map((p) => p.to))}::text[])
           AS x(old_hash, new_hash)
    ON CONFLICT (rotation_id, old_hash) DO NOTHING`);
}

export type UnmappedValue = {
  id: string;
  sealed: string;
  keyId: string;
  variableId: string;
  environmentId: string;
};

/** Values (current, history, proposed) whose hash no pair of the rotation covers: written since their batch. */
export async function unmappedValues(tx: Tx, rotationId: string, organizationId: string) {
  const found: UnmappedValue[] = [];
  for (const s of VALUE_STORES) {
    const rows = await tx.execute<UnmappedValue>(sql`
      SELECT t.id::text AS "id", t.${ident(s.sealed)} AS "sealed", t.encryption_key_id AS "keyId",
             t.variable_id::text AS "variableId", t.environment_id::text AS "environmentId"
        FROM ${ident(s.table)} t
       WHERE t.organization_id = ${organizationId} AND t.${ident(s.hash)} IS NOT NULL
         AND t.${ident(s.sealed)} IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM key_rotation_hashes m
                          WHERE m.rotation_id = ${rotationId} AND m.old_hash = t.${ident(s.hash)})`);
    found.push(...rows);
  }
  return found;
}

/** Rewrites every stored hash of the organization that a pair covers; how many of each column changed. */
export async function swapHashes(tx: Tx, rotationId: string, organizationId: string) {
  const changed: Record<string, number> = {};
  for (const { table, column } of HASH_COLUMNS) {
    const rows = await tx.execute<{ n: number }>(sql`
      WITH swapped AS (
        UPDATE ${ident(table)} t SET ${ident(column)} = m.new_hash
          FROM key_rotation_hashes m
         WHERE t.organization_id = ${organizationId} AND m.rotation_id = ${rotationId}
           AND m.old_hash = t.${ident(column)}
        RETURNING 1)
      SELECT count(*)::int AS n FROM swapped`);
    changed[`${table}.${column}`] = rows[0].n;
  }
  return changed;
}

/** The pending hash key becomes the active one; the one it replaces is retired (never used again). */
export async function activateHashKey(tx: Tx, organizationId: string, hmacKeyId: string) {
  await tx.execute(sql`
    UPDATE encryption_keys SET key_status = 'rotating', rotated_at = now()
     WHERE organization_id = ${organizationId} AND key_type = 'hmac' AND key_status = 'active'`);
  await tx.execute(sql`
    UPDATE encryption_keys SET key_status = 'deprecated'
     WHERE organization_id = ${organizationId} AND key_type = 'hmac' AND key_status = 'rotating'`);
  await tx.execute(sql`
    UPDATE encryption_keys SET key_status = 'active' WHERE key_id = ${hmacKeyId} AND key_status = 'pending'`);
}

/** The swap is done: recorded on the rotation, and its pairs (no longer needed) removed. */
export async function markHashesSwapped(tx: Tx, rotationId: string) {
  await tx.execute(sql`UPDATE key_rotations SET hashes_swapped_at = now() WHERE id = ${rotationId}`);
  await tx.execute(sql`DELETE FROM key_rotation_hashes WHERE rotation_id = ${rotationId}`);
}
