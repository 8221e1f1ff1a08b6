import { and, eq, max, sql } from "drizzle-orm";
import { encryptValue, hmacValue } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { RiskLevel } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import { checkValue, type ValueCheck, worstStatus } from "@/lib/value-checks";
import type { EnvironmentRef } from "../authz";
import type { Tx } from "../client";
import { setLocal, type TenantContext } from "../context";
import { orgKeys } from "../keyring";
import {
  type environmentVariables,
  environmentVariableValues,
  valueVersions,
  variableValidations,
} from "../schema";
import { anyUuid, uuidArray } from "../sql-lists";
import { type ChangeSource, type OpenedRequest, openChangeRequest } from "./change-request-open";
import { gateChanges, requestReason } from "./value-gate";

export type WritableVariable = Pick<
  typeof environmentVariables.$inferSelect,
  | "id"
  | "name"
  | "variableType"
  | "validationPattern"
  | "tags"
  | "securityClassification"
  | "isWeddingCritical"
>;

export type ValueWrite = {
  variable: WritableVariable;
  value: string;
  /** The version the writer saw; 0 = not set yet. Anything else is a conflict, never an overwrite. */
  expectedVersion: number;
  note?: string;
  /**
   * An approved proposal's own ciphertext (sealed for this row when it was asked for): written as it is, so the
   * database can check it is exactly what the reviewer approved.
   */
  sealed?: { encryptedValue: string; encryptionKeyId: string; valueHash: string };
};

export type WrittenValue = { variableId: string; version: number; valueHash: string };

export type TargetEnvironment = EnvironmentRef & { isActive: boolean };

export type WriteOptions = {
  /** The form field an error about one write belongs to (`value` for one editor, the key for a batch). */
  fieldFor?: (w: ValueWrite) => string;
  /** Why: required (≥ 10 characters) when the batch needs approval; it becomes the request's reason. */
  reason?: string;
  /** The form field that holds the reason. */
  reasonField?: string;
  source?: ChangeSource;
  /** Applying an approved change request (its id is in the transaction's context): it authorizes the writes. */
  approved?: boolean;
};

/** Either the values were written, or the whole batch waits in a change request for a reviewer. */
export type WriteOutcome =
  | { status: "applied"; written: WrittenValue[]; riskLevel: RiskLevel }
  | { status: "requested"; request: OpenedRequest };

const CHUNK = 1000;
const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** Whether wedding hours lock the environment now, and whether the caller's emergency session opens it. */
async function lockState(tx: Tx, environmentId: string) {
  const [row] = await tx.execute<{ locked: boolean; emergency: boolean }>(
    sql`select app_env_locked(${environmentId}) as locked, app_emergency_ok(${environmentId}) as emergency`,
  );
  return row;
}

/** Refuses early with a clear error; the database trigger refuses too, whoever writes. */
export async function assertNotLocked(tx: Tx, environmentId: string) {
  const row = await lockState(tx, environmentId);
  if (row.locked && !row.emergency) throw new AppError("locked:wedding_hours");
  return row;
}

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

/**
 * The one write path for values, for one or ten thousand: the wedding-hours lock, permission and risk per
 * change (a HIGH or CRITICAL change, or one proposed without write access, turns the whole batch into one
 * change request), the type and pattern checks (a failed check refuses the whole batch), optimistic
 * versions (any mismatch refuses the whole batch), then encryption under the organization's data key with
 * each row as AAD. History and audit rows are written by the database trigger, in the caller's transaction.
 */
export async function writeValues(
  tx: Tx,
  ctx: TenantContext,
  env: TargetEnvironment,
  writes: ValueWrite[],
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  if (writes.length === 0) return { status: "applied", written: [], riskLevel: "LOW" };
  const fieldFor = options.fieldFor ?? (() => "value");
  const lock = await lockState(tx, env.id);
  // The lock first: during wedding hours the useful answer is "locked, break glass", not "forbidden".
  if (lock.locked && !lock.emergency) throw new AppError("locked:wedding_hours");
  const gate = options.approved
    ? { mode: "apply" as const, risks: [], riskLevel: "LOW" as RiskLevel, reasons: new Set<string>() }
    : await gateChanges(
        tx,
        ctx,
        env,
        writes.map((w) => ({ variable: w.variable, action: "value:set" as const })),
        lock.emergency,
      );
  if (!env.isActive) throw new AppError("validation", { form: ["This environment is inactive"] });

  const fieldErrors: Record<string, string[]> = {};
  // One at a time: a pattern not yet proved safe waits for one analysis slot, never fills the queue.
  const checked: (ValueWrite & { checks: ValueCheck[]; status: ReturnType<typeof worstStatus> })[] = [];
  for (const w of writes) {
    const checks = await checkValue({
      variableType: w.variable.variableType as Parameters<typeof checkValue>[0]["variableType"],
      value: w.value,
      environmentType: env.environmentType as EnvironmentType,
      validationPattern: w.variable.validationPattern,
      tags: w.variable.tags,
    });
    const failed = checks.filter((c) => c.status === "failed");
    if (failed.length > 0) fieldErrors[fieldFor(w)] = failed.map((c) => c.message);
    checked.push({ ...w, checks, status: worstStatus(checks) });
  }
  const asked = gate.mode === "request" ? requestReason(options, gate.riskLevel) : null;
  if (asked?.error) Object.assign(fieldErrors, asked.error);
  if (Object.keys(fieldErrors).length > 0) throw new AppError("validation", fieldErrors);

  const current = await currentValues(
    tx,
    env.id,
    writes.map((w) => w.variable.id),
  );
  const conflicts = writes.filter((w) => (current.get(w.variable.id)?.version ?? 0) !== w.expectedVersion);
  if (conflicts.length > 0) throw conflictError(conflicts, current);

  if (gate.mode === "request") {
    const request = await openChangeRequest(tx, ctx, env, {
      source: options.source ?? "edit",
      reason: asked?.reason ?? "",
      riskLevel: gate.riskLevel,
      riskReasons: [...gate.reasons],
      items: checked.map((w, i) => ({
        variableId: w.variable.id,
        name: w.variable.name,
        value: w.value,
        base: {
          version: w.expectedVersion,
          valueHash: current.get(w.variable.id)?.valueHash ?? null,
        },
        validationStatus: w.status,
        riskLevel: gate.risks[i],
        note: w.note,
      })),
    });
    return { status: "requested", request };
  }
  if (!options.approved) await setLocal(tx, "app.risk_level", gate.riskLevel);

  const keys = await orgKeys(tx, ctx.organizationId);
  const rows = checked.map((w) => ({
    write: w,
    ...(w.sealed ?? {
      encryptedValue: encryptValue(keys.dataKey, w.value, {
        organizationId: ctx.organizationId,
        variableId: w.variable.id,
        environmentId: env.id,
      }),
      encryptionKeyId: keys.dataKeyId,
      valueHash: hmacValue(keys.hmacKey, w.value),
    }),
  }));
  const written: WrittenValue[] = [];
  // The audit trigger records these writes as a restore (not an update) while this is set.
  const restoring = options.source === "restore";
  if (restoring) await setLocal(tx, "app.value_action", "restore");
  const inserts = rows.filter((r) => r.write.expectedVersion === 0);
  const updates = rows.filter((r) => r.write.expectedVersion !== 0);

  for (const batch of chunks(inserts)) {
    // A value deleted earlier continues its version numbers, so history stays one sequence.
    const last = await tx
      .select({ variableId: valueVersions.variableId, v: max(valueVersions.version) })
      .from(valueVersions)
      .where(
        and(
          eq(valueVersions.environmentId, env.id),
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
          environmentId: env.id,
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
      const lost = batch.filter((r) => !done.has(r.write.variable.id)).map((r) => r.write);
      throw conflictError(
        lost,
        await currentValues(
          tx,
          env.id,
          lost.map((w) => w.variable.id),
        ),
      );
    }
    written.push(...inserted);
  }

  for (const batch of chunks(updates)) {
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
       where v.environment_id = ${env.id} and v.variable_id = n.variable_id and v.version = n.expected
      returning v.variable_id, v.version, v.value_hash`);
    if (updated.length !== batch.length) {
      const done = new Set(updated.map((u) => u.variable_id));
      const lost = batch.filter((r) => !done.has(r.write.variable.id)).map((r) => r.write);
      throw conflictError(
        lost,
        await currentValues(
          tx,
          env.id,
          lost.map((w) => w.variable.id),
        ),
      );
    }
    written.push(
      ...updated.map((u) => ({ variableId: u.variable_id, version: u.version, valueHash: u.value_hash })),
    );
  }

  if (restoring) await setLocal(tx, "app.value_action", "");
  await recordChecks(tx, ctx, env.id, checked);
  return { status: "applied", written, riskLevel: gate.riskLevel };
}

/** Keeps the latest check results per variable × environment (older ones are replaced). */
async function recordChecks(
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

function conflictError(
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
