import { and, eq, max, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environmentVariableValues, valueVersions, variableValidations } from "@/db/schema";
import { anyUuid, uuidArray } from "@/db/sql-lists";

/**
 * The SQL of the one value write path (server/values decides; this only reads and writes rows). History and
 * audit rows are written by the database triggers, in the caller's transaction.
 */

export type WrittenValue = { variableId: string; version: number; valueHash: string };

/** One value row to store: its ciphertext (with its key), hash, check status and the version its writer saw. */
export type ValueRow = {
  variableId: string;
  expectedVersion: number;
  encryptedValue: string;
  encryptionKeyId: string;
  valueHash: string;
  validationStatus: string;
  note: string | null;
};

/**
 * Current version and hash of each variable's value in one environment, also where the caller cannot read
 * it: the hash is then null (`app_value_heads`).
 */
export async function valueHeads(tx: Tx, environmentId: string, variableIds: string[]) {
  return tx.execute<{ variable_id: string; version: number; value_hash: string | null }>(
    sql`select variable_id, version, value_hash from app_value_heads(${environmentId}, ${uuidArray(variableIds)})`,
  );
}

/** Whether wedding hours lock the environment now, and whether the caller's emergency session opens it. */
export async function envLockState(tx: Tx, environmentId: string) {
  const [row] = await tx.execute<{ locked: boolean; emergency: boolean }>(
    sql`select app_env_locked(${environmentId}) as locked, app_emergency_ok(${environmentId}) as emergency`,
  );
  return row;
}

/** The last version each variable's value had in the environment (history included), by variable id. */
export async function lastVersions(tx: Tx, environmentId: string, variableIds: string[]) {
  const last = await tx
    .select({ variableId: valueVersions.variableId, v: max(valueVersions.version) })
    .from(valueVersions)
    .where(
      and(
        eq(valueVersions.environmentId, environmentId),
        sql`${valueVersions.variableId} = ${anyUuid(variableIds)}`,
      ),
    )
    .groupBy(valueVersions.variableId);
  return new Map(last.map((l) => [l.variableId, l.v ?? 0]));
}

/** Inserts new value rows at the given versions; a row that already exists is skipped (not returned). */
export async function insertValueRows(
  tx: Tx,
  by: { organizationId: string; userId: string },
  environmentId: string,
  rows: (ValueRow & { version: number })[],
): Promise<WrittenValue[]> {
  return tx
    .insert(environmentVariableValues)
    .values(
      rows.map((r) => ({
        organizationId: by.organizationId,
        variableId: r.variableId,
        environmentId,
        encryptedValue: r.encryptedValue,
        encryptionKeyId: r.encryptionKeyId,
        valueHash: r.valueHash,
        validationStatus: r.validationStatus,
        changeNote: r.note,
        version: r.version,
        createdBy: by.userId,
        updatedBy: by.userId,
      })),
    )
    .onConflictDoNothing()
    .returning({
      variableId: environmentVariableValues.variableId,
      version: environmentVariableValues.version,
      valueHash: environmentVariableValues.valueHash,
    });
}

/** Updates value rows, each only if still at its expected version; returns those updated. */
export async function updateValueRows(
  tx: Tx,
  userId: string,
  environmentId: string,
  rows: ValueRow[],
): Promise<WrittenValue[]> {
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.variableId}::uuid, ${r.expectedVersion}::int, ${r.encryptedValue}, ${r.encryptionKeyId}::varchar, ${r.valueHash}, ${r.validationStatus}::varchar, ${r.note}::varchar)`,
    ),
    sql`, `,
  );
  const updated = await tx.execute<{ variable_id: string; version: number; value_hash: string }>(sql`
      update environment_variable_values v
         set encrypted_value = n.encrypted_value, value_hash = n.value_hash, encryption_key_id = n.key_id,
             validation_status = n.validation_status, change_note = n.note, version = v.version + 1,
             updated_by = ${userId}, updated_at = now()
        from (values ${values}) as n(variable_id, expected, encrypted_value, key_id, value_hash, validation_status, note)
       where v.environment_id = ${environmentId} and v.variable_id = n.variable_id and v.version = n.expected
      returning v.variable_id, v.version, v.value_hash`);
  return updated.map((u) => ({ variableId: u.variable_id, version: u.version, valueHash: u.value_hash }));
}

/** Deletes one value row if still at the expected version; returns whether it did. */
export async function deleteValueRow(
  tx: Tx,
  environmentId: string,
  variableId: string,
  expectedVersion: number,
): Promise<boolean> {
  const [row] = await tx
    .delete(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.variableId, variableId),
        eq(environmentVariableValues.environmentId, environmentId),
        eq(environmentVariableValues.version, expectedVersion),
      ),
    )
    .returning({ id: environmentVariableValues.id });
  return Boolean(row);
}

export type CheckRow = {
  variableId: string;
  validationType: string;
  validationStatus: string;
  message: string;
};

/** Replaces the stored check results (all but connectivity) of these variables in the environment. */
export async function replaceCheckRows(
  tx: Tx,
  organizationId: string,
  environmentId: string,
  variableIds: string[],
  checks: CheckRow[],
) {
  await tx
    .delete(variableValidations)
    .where(
      and(
        eq(variableValidations.environmentId, environmentId),
        sql`${variableValidations.variableId} = ${anyUuid(variableIds)}`,
        sql`${variableValidations.validationType} <> 'connectivity'`,
      ),
    );
  const rows = checks.map((c) => ({
    organizationId,
    variableId: c.variableId,
    environmentId,
    validationType: c.validationType,
    validationStatus: c.validationStatus,
    validationDetails: { message: c.message },
    errorMessage: c.validationStatus === "passed" ? null : c.message,
  }));
  if (rows.length > 0) await tx.insert(variableValidations).values(rows);
}
