import { and, eq, max, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { setLocal, type TenantContext } from "@/db/context";
import { environmentVariableValues, valueVersions, variableValidations } from "@/db/schema";
import { anyUuid, uuidArray } from "@/db/sql-lists";
import { AppError } from "@/lib/errors";
import type { ValueCheck } from "@/lib/value-checks";
import type { ValueWrite, WritableVariable } from "@/server/values/value-types";

/**
 * The SQL of the one value write path (value-writes.ts decides; this only reads and writes rows). History and
 * audit rows are written by the database triggers, in the caller's transaction.
 */

export type WrittenValue = { variableId: string; version: number; valueHash: string };

/** One row to store: the write, its ciphertext (with its key) and hash, and its check status. */
export type SealedRow = {
  write: ValueWrite & { status: string };
  encryptedValue: string;
  encryptionKeyId: string;
  valueHash: string;
};

const CHUNK = 1000;
export const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Current version and hash of each variable's value in one environment, also where the caller cannot read
 * it (they may still propose a change): the hash is then null (`app_value_heads`).
 */
export async function currentValues(tx: Tx, environmentId: string, variableIds: string[]) {
  const found = new Map<string, { version: number; valueHash: string | null }>();
  if (variableIds.length === 0) return found;
  const rows = await tx.execute<{ variable_id: string; version: number; value_hash: string | null }>(
    sql`select variable_id, version, value_hash from app_value_heads(${environmentId}, ${uuidArray(variableIds)})`,
  );
  for (const r of rows) found.set(r.variable_id, { version: r.version, valueHash: r.value_hash });
  return found;
}

/** New values (expected version 0); a value deleted earlier continues its version numbers. */
export async function insertValues(tx: Tx, ctx: TenantContext, environmentId: string, rows: SealedRow[]) {
  const written: WrittenValue[] = [];
  for (const batch of chunks(rows)) {
    const last = await tx
      .select({ variableId: valueVersions.variableId, v: max(valueVersions.version) })
      .from(valueVersions)
      .where(
        and(
          eq(valueVersions.environmentId, environmentId),
          sql`${valueVersions.variableId} = ${anyUuid(batch.map((r) => r.write.variable.id))}`,
        ),
      )
      .groupBy(valueVersions.variableId);
    const lastVersion = new Map(last.map((l) => [l.variableId, l.v ?? 0]));
    const inserted = await tx
      .insert(environmentVariableValues)
      .values(
        batch.map((r) => ({
          organizationId: ctx.organizationId,
          variableId: r.write.variable.id,
          environmentId,
          encryptedValue: r.encryptedValue,
          encryptionKeyId: r.encryptionKeyId,
          valueHash: r.valueHash,
          validationStatus: r.write.status,
          changeNote: r.write.note ?? null,
          version: (lastVersion.get(r.write.variable.id) ?? 0) + 1,
          createdBy: ctx.userId,
          updatedBy: ctx.userId,
        })),
      )
      .onConflictDoNothing()
      .returning({
        variableId: environmentVariableValues.variableId,
        version: environmentVariableValues.version,
        valueHash: environmentVariableValues.valueHash,
      });
    if (inserted.length !== batch.length) {
      const done = new Set(inserted.map((i) => i.variableId));
      await throwConflict(
        tx,
        environmentId,
        batch.filter((r) => !done.has(r.write.variable.id)).map((r) => r.write),
      );
    }
    written.push(...inserted);
  }
  return written;
}

/** Changed values, each only if still at the version its writer saw. */
export async function updateValues(tx: Tx, ctx: TenantContext, environmentId: string, rows: SealedRow[]) {
  const written: WrittenValue[] = [];
  for (const batch of chunks(rows)) {
    const values = sql.join(
      batch.map(
        (r) =>
          sql`(${r.write.variable.id}::uuid, ${r.write.expectedVersion}::int, ${r.encryptedValue}, ${r.encryptionKeyId}::varchar, ${r.valueHash}, ${r.write.status}::varchar, ${r.write.note ?? null}::varchar)`,
      ),
      sql`, `,
    );
    const updated = await tx.execute<{ variable_id: string; version: number; value_hash: string }>(sql`
      update environment_variable_values v
         set encrypted_value = n.encrypted_value, value_hash = n.value_hash, encryption_key_id = n.key_id,
             validation_status = n.validation_status, change_note = n.note, version = v.version + 1,
             updated_by = ${ctx.userId}, updated_at = now()
        from (values ${values}) as n(variable_id, expected, encrypted_value, key_id, value_hash, validation_status, note)
       where v.environment_id = ${environmentId} and v.variable_id = n.variable_id and v.version = n.expected
      returning v.variable_id, v.version, v.value_hash`);
    if (updated.length !== batch.length) {
      const done = new Set(updated.map((u) => u.variable_id));
      await throwConflict(
        tx,
        environmentId,
        batch.filter((r) => !done.has(r.write.variable.id)).map((r) => r.write),
      );
    }
    written.push(
      ...updated.map((u) => ({ variableId: u.variable_id, version: u.version, valueHash: u.value_hash })),
    );
  }
  return written;
}

/** Deleted values, each only if still at the version its writer saw; the audit trigger reads its note. */
export async function deleteValues(tx: Tx, environmentId: string, deletes: ValueWrite[]) {
  for (const w of deletes) {
    await setLocal(tx, "app.change_note", w.note ?? "");
    const [row] = await tx
      .delete(environmentVariableValues)
      .where(
        and(
          eq(environmentVariableValues.variableId, w.variable.id),
          eq(environmentVariableValues.environmentId, environmentId),
          eq(environmentVariableValues.version, w.expectedVersion),
        ),
      )
      .returning({ id: environmentVariableValues.id });
    if (!row) await throwConflict(tx, environmentId, [w]);
  }
}

/** Keeps the latest check results per variable × environment (older ones are replaced). */
export async function recordChecks(
  tx: Tx,
  ctx: TenantContext,
  environmentId: string,
  checked: { variable: WritableVariable; checks: ValueCheck[] }[],
) {
  for (const batch of chunks(checked)) {
    await tx
      .delete(variableValidations)
      .where(
        and(
          eq(variableValidations.environmentId, environmentId),
          sql`${variableValidations.variableId} = ${anyUuid(batch.map((c) => c.variable.id))}`,
          sql`${variableValidations.validationType} <> 'connectivity'`,
        ),
      );
    const rows = batch.flatMap((c) =>
      c.checks.map((check) => ({
        organizationId: ctx.organizationId,
        variableId: c.variable.id,
        environmentId,
        validationType: check.type,
        validationStatus: check.status,
        validationDetails: { message: check.message },
        errorMessage: check.status === "passed" ? null : check.message,
      })),
    );
    if (rows.length > 0) await tx.insert(variableValidations).values(rows);
  }
}

async function throwConflict(tx: Tx, environmentId: string, lost: ValueWrite[]): Promise<never> {
  throw conflictError(
    lost,
    await currentValues(
      tx,
      environmentId,
      lost.map((w) => w.variable.id),
    ),
  );
}

export function conflictError(
  lost: ValueWrite[],
  current: Map<string, { version: number; valueHash: string | null }>,
) {
  const first = lost[0];
  const now = current.get(first.variable.id);
  return new AppError("conflict:version", undefined, {
    currentVersion: now?.version ?? 0,
    currentHash: now?.valueHash ?? null,
    conflicts: lost.map((w) => ({
      name: w.variable.name,
      expectedVersion: w.expectedVersion,
      currentVersion: current.get(w.variable.id)?.version ?? 0,
    })),
  });
}
