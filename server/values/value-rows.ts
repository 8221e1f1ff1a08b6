import type { Tx } from "@/db/client";
import { setLocal, type TenantContext } from "@/db/context";
import {
  deleteValueRow,
  insertValueRows,
  lastVersions,
  replaceCheckRows,
  updateValueRows,
  type ValueRow,
  valueHeads,
  type WrittenValue,
} from "@/db/repos/value-rows";
import { AppError } from "@/lib/errors";
import type { ValueCheck } from "@/lib/value-checks";
import type { ValueWrite, WritableVariable } from "@/server/values/value-types";

/**
 * The rows of the one value write path (value-writes.ts decides what to write; this writes it in batches
 * through db/repos/value-rows.ts and turns a row that moved meanwhile into a version conflict). History and
 * audit rows are written by the database triggers, in the caller's transaction.
 */

export type { WrittenValue };

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
  for (const r of await valueHeads(tx, environmentId, variableIds))
    found.set(r.variable_id, { version: r.version, valueHash: r.value_hash });
  return found;
}

const valueRow = (r: SealedRow): ValueRow => ({
  variableId: r.write.variable.id,
  expectedVersion: r.write.expectedVersion,
  encryptedValue: r.encryptedValue,
  encryptionKeyId: r.encryptionKeyId,
  valueHash: r.valueHash,
  validationStatus: r.write.status,
  note: r.write.note ?? null,
});

/** New values (expected version 0); a value deleted earlier continues its version numbers. */
export async function insertValues(tx: Tx, ctx: TenantContext, environmentId: string, rows: SealedRow[]) {
  const written: WrittenValue[] = [];
  for (const batch of chunks(rows)) {
    const lastVersion = await lastVersions(
      tx,
      environmentId,
      batch.map((r) => r.write.variable.id),
    );
    const inserted = await insertValueRows(
      tx,
      ctx,
      environmentId,
      batch.map((r) => ({ ...valueRow(r), version: (lastVersion.get(r.write.variable.id) ?? 0) + 1 })),
    );
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
    const updated = await updateValueRows(tx, ctx.userId, environmentId, batch.map(valueRow));
    if (updated.length !== batch.length) {
      const done = new Set(updated.map((u) => u.variableId));
      await throwConflict(
        tx,
        environmentId,
        batch.filter((r) => !done.has(r.write.variable.id)).map((r) => r.write),
      );
    }
    written.push(...updated);
  }
  return written;
}

/** Deleted values, each only if still at the version its writer saw; the audit trigger reads its note. */
export async function deleteValues(tx: Tx, environmentId: string, deletes: ValueWrite[]) {
  for (const w of deletes) {
    await setLocal(tx, "app.change_note", w.note ?? "");
    if (!(await deleteValueRow(tx, environmentId, w.variable.id, w.expectedVersion)))
      await throwConflict(tx, environmentId, [w]);
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
    await replaceCheckRows(
      tx,
      ctx.organizationId,
      environmentId,
      batch.map((c) => c.variable.id),
      batch.flatMap((c) =>
        c.checks.map((check) => ({
          variableId: c.variable.id,
          validationType: check.type,
          validationStatus: check.status,
          message: check.message,
        })),
      ),
    );
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
