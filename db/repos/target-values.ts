import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environmentVariables, environmentVariableValues, valueVersions } from "@/db/schema";
import { anyName } from "@/db/sql-lists";

/** The encrypted values a target is given or compared with (decrypting them is the vault's, in the service). */

/**
 * The environment's live values (encrypted) with their variables' metadata, by name: all, only these names,
 * or only the sensitive ones (confidential, wedding-day critical, or flagged wedding-critical).
 */
export async function liveValueRows(
  tx: Tx,
  environmentId: string,
  only: { names?: string[]; sensitive?: boolean } = {},
) {
  const { names, sensitive } = only;
  return tx
    .select({
      variableId: environmentVariables.id,
      name: environmentVariables.name,
      classification: environmentVariables.securityClassification,
      weddingCritical: environmentVariables.isWeddingCritical,
      required: environmentVariables.isRequired,
      version: environmentVariableValues.version,
      valueHash: environmentVariableValues.valueHash,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
      expired: sql<boolean>`coalesce(${environmentVariableValues.expiresAt} <= now(), false)`,
    })
    .from(environmentVariableValues)
    .innerJoin(environmentVariables, eq(environmentVariables.id, environmentVariableValues.variableId))
    .where(
      and(
        eq(environmentVariableValues.environmentId, environmentId),
        isNull(environmentVariables.deletedAt),
        names ? sql`${environmentVariables.name} = ${anyName(names)}` : undefined,
        sensitive
          ? or(
              inArray(environmentVariables.securityClassification, ["confidential", "wedding_day_critical"]),
              eq(environmentVariables.isWeddingCritical, true),
            )
          : undefined,
      ),
    )
    .orderBy(asc(environmentVariables.name));
}

/**
 * Each wanted key's value (encrypted) at the wanted version from the environment's value history, with its
 * variable's metadata, by name; the ciphertext is null where that version was purged.
 */
export async function valueVersionRows(
  tx: Tx,
  environmentId: string,
  wanted: { name: string; variable_id: string; version: number }[],
) {
  return tx.execute<{
    name: string;
    variable_id: string;
    version: number;
    encrypted_value: string | null;
    encryption_key_id: string | null;
    value_hash: string | null;
    classification: string;
    wedding_critical: boolean;
    required: boolean;
  }>(sql`
    select w.name, w.variable_id, w.version, vv.encrypted_value, vv.encryption_key_id, vv.value_hash,
           v.security_classification as classification, v.is_wedding_critical as wedding_critical,
           v.is_required as required
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(name text, variable_id uuid, version int)
      join ${environmentVariables} v on v.id = w.variable_id
      left join ${valueVersions} vv
        on vv.variable_id = w.variable_id and vv.environment_id = ${environmentId} and vv.version = w.version
     order by w.name`);
}

/** The stored value (row, encrypted) of a variable in an environment, if it has one. */
export async function storedValue(tx: Tx, variableId: string, environmentId: string) {
  const [value] = await tx
    .select()
    .from(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.variableId, variableId),
        eq(environmentVariableValues.environmentId, environmentId),
      ),
    );
  return value;
}
