import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environmentVariables, environmentVariableValues, valueVersions } from "@/db/schema";
import { anyName, anyUuid } from "@/db/sql-lists";

/** The encrypted values the value services read in their transaction (RLS limits what each caller gets). */

/** A variable's current value in one environment (ciphertext, key, hash, version), or undefined. */
export async function valueRow(tx: Tx, variableId: string, environmentId: string) {
  const [row] = await tx
    .select({
      version: environmentVariableValues.version,
      valueHash: environmentVariableValues.valueHash,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
    })
    .from(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.variableId, variableId),
        eq(environmentVariableValues.environmentId, environmentId),
      ),
    );
  return row;
}

/** The ciphertext of one earlier version of a value (from its history), or undefined. */
export async function versionCiphertext(tx: Tx, variableId: string, environmentId: string, version: number) {
  const [old] = await tx
    .select({
      encryptedValue: valueVersions.encryptedValue,
      encryptionKeyId: valueVersions.encryptionKeyId,
    })
    .from(valueVersions)
    .where(
      and(
        eq(valueVersions.variableId, variableId),
        eq(valueVersions.environmentId, environmentId),
        eq(valueVersions.version, version),
      ),
    );
  return old;
}

/** Every value of live variables in one environment, with its variable's name and flags, by name. */
export async function environmentValueRows(tx: Tx, environmentId: string, names?: string[]) {
  return tx
    .select({
      variableId: environmentVariables.id,
      name: environmentVariables.name,
      tags: environmentVariables.tags,
      isWeddingCritical: environmentVariables.isWeddingCritical,
      securityClassification: environmentVariables.securityClassification,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
      valueHash: environmentVariableValues.valueHash,
      version: environmentVariableValues.version,
    })
    .from(environmentVariableValues)
    .innerJoin(environmentVariables, eq(environmentVariables.id, environmentVariableValues.variableId))
    .where(
      and(
        eq(environmentVariableValues.environmentId, environmentId),
        isNull(environmentVariables.deletedAt),
        names ? sql`${environmentVariables.name} = ${anyName(names)}` : undefined,
      ),
    )
    .orderBy(asc(environmentVariables.name));
}

/** The ciphertexts of these variables' values in one environment (those that have one). */
export async function valueCiphertexts(tx: Tx, environmentId: string, variableIds: string[]) {
  return tx
    .select({
      variableId: environmentVariableValues.variableId,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
    })
    .from(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.environmentId, environmentId),
        sql`${environmentVariableValues.variableId} = ${anyUuid(variableIds)}`,
      ),
    );
}
