import type { Tx } from "@/db/client";
import { setLocal, type TenantContext } from "@/db/context";
import { envLockState } from "@/db/repos/value-rows";
import { type OrgVault, orgVault } from "@/db/vault";
import { coverageRefusal } from "@/lib/approval-check";
import { AppError } from "@/lib/errors";
import { describeProblem } from "@/lib/references";
import type { RiskLevel } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import { checkValue, type ValueCheck, worstStatus } from "@/lib/value-checks";
import { approvedItems, verifiedRequest } from "@/server/approvals/approval-verify";
import { type OpenedRequest, openChangeRequest } from "@/server/approvals/change-request-open";
import { gateChanges, requestReason } from "@/server/values/value-gate";
import {
  conflictError,
  currentValues,
  deleteValues,
  insertValues,
  recordChecks,
  type SealedRow,
  updateValues,
  type WrittenValue,
} from "@/server/values/value-rows";
import type { TargetEnvironment, ValueWrite, WriteOptions } from "@/server/values/value-types";
import { resolveWrites } from "./references";

export type {
  CarriedApproval,
  TargetEnvironment,
  ValueWrite,
  WritableVariable,
  WriteOptions,
} from "@/server/values/value-types";
export { currentValues, type WrittenValue };

/** Either the values were written, or the whole batch waits in a change request for a reviewer. */
export type WriteOutcome =
  | { status: "applied"; written: WrittenValue[]; riskLevel: RiskLevel }
  | { status: "requested"; request: OpenedRequest };

/** Refuses early with a clear error; the database trigger refuses too, whoever writes. */
export async function assertNotLocked(tx: Tx, environmentId: string) {
  const row = await envLockState(tx, environmentId);
  if (row.locked && !row.emergency) throw new AppError("locked:wedding_hours");
  return row;
}

/** A new value encrypted for its row (the row is its AAD), with its key and keyed hash. */
function sealFor(vault: OrgVault, value: string, at: Parameters<OrgVault["encryptValue"]>[1]) {
  const sealed = vault.encryptValue(value, at);
  return { encryptedValue: sealed.ciphertext, encryptionKeyId: sealed.keyId, valueHash: vault.hash(value) };
}

type Checked = ValueWrite & { checks: ValueCheck[]; status: ReturnType<typeof worstStatus> | null };

/**
 * The one write path for values — set, delete, restore, import, promote, adopt and an approved change request
 * all come here, for one value or ten thousand. In order: the wedding-hours lock; the approval gate (permission
 * and risk per change: a HIGH or CRITICAL change, or one proposed without write access, turns the whole batch
 * into one change request), or, for a batch that applies an approved request, the verification of that request;
 * an inactive environment is refused; the type and pattern checks of each new value (a failed check refuses the
 * whole batch); optimistic versions (any mismatch refuses the whole batch); then encryption under the
 * organization's data key with each row as AAD. History and audit rows are written by the database trigger, in
 * the caller's transaction.
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
  const lock = await envLockState(tx, env.id);
  // The lock first: during wedding hours the useful answer is "locked, break glass", not "forbidden".
  if (lock.locked && !lock.emergency) throw new AppError("locked:wedding_hours");
  // An approval is verified, never trusted: the approver may lack write access, the request stands for it.
  const approval = options.approval
    ? await verifiedRequest(tx, ctx, options.approval.requestId, { action: "values", environmentId: env.id })
    : null;
  const gate = approval
    ? {
        mode: "apply" as const,
        risks: [],
        riskLevel: approval.riskLevel as RiskLevel,
        reasons: new Set<string>(),
      }
    : await gateChanges(
        tx,
        ctx,
        env,
        writes.map((w) => ({
          variable: w.variable,
          action: w.value === null ? ("value:delete" as const) : ("value:set" as const),
        })),
        lock.emergency,
      );
  if (!env.isActive) throw new AppError("validation", { form: ["This environment is inactive"] });

  const fieldErrors: Record<string, string[]> = {};
  // References must resolve for the writer, with this batch in place: no circle, nothing missing or unreadable.
  // A value that refers to others is checked as what it resolves to (a URL made of `${HOST}/v1` is a URL).
  const references = await resolveWrites(
    tx,
    ctx,
    env,
    writes.map((w) => ({ key: w.variable.name, value: w.value })),
  );
  // One at a time: a pattern not yet proved safe waits for one analysis slot, never fills the queue.
  const checked: Checked[] = [];
  for (const w of writes) {
    if (w.value === null) {
      checked.push({ ...w, checks: [], status: null });
      continue;
    }
    const problem = references.problems.get(w.variable.name);
    if (problem) {
      fieldErrors[fieldFor(w)] = [describeProblem(problem)];
      checked.push({ ...w, checks: [], status: null });
      continue;
    }
    const checks = await checkValue({
      variableType: w.variable.variableType as Parameters<typeof checkValue>[0]["variableType"],
      value: references.resolved.get(w.variable.name) ?? w.value,
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
  // A delete needs a value to delete; any other version mismatch is a conflict, never an overwrite.
  const conflicts = writes.filter(
    (w) =>
      (current.get(w.variable.id)?.version ?? 0) !== w.expectedVersion ||
      (w.value === null && !current.has(w.variable.id)),
  );
  if (conflicts.length > 0) throw conflictError(conflicts, current);

  if (gate.mode === "request") {
    const request = await openChangeRequest(tx, ctx, env, {
      source: options.source ?? (writes.every((w) => w.value === null) ? "delete" : "edit"),
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

  const vault = await orgVault(tx, ctx.organizationId);
  // An approved request's own ciphertext (sealed for this row when it was asked for) is written as it is, so the
  // database can check it is exactly what the reviewer approved; the gate checks first that it covers this batch.
  let sealed: Map<string, { encryptedValue: string; encryptionKeyId: string; valueHash: string }> | null =
    null;
  if (approval && options.approval) {
    const items = await approvedItems(tx, options.approval.requestId);
    const refusal = coverageRefusal(
      items,
      writes.map((w) => ({
        variableId: w.variable.id,
        operation: w.value === null ? "delete" : "set",
        expectedVersion: w.expectedVersion,
        valueHash: w.value === null ? null : vault.hash(w.value),
      })),
      env.id,
      new Map([...current].map(([id, c]) => [id, c.valueHash])),
    );
    if (refusal) throw new AppError("approval_required", { form: [refusal] });
    sealed = new Map(
      items.map((i) => [
        i.variableId,
        {
          encryptedValue: i.newEncryptedValue as string,
          encryptionKeyId: i.encryptionKeyId as string,
          valueHash: i.newValueHash as string,
        },
      ]),
    );
  }
  await setLocal(tx, "app.risk_level", gate.riskLevel);

  const sets = checked.filter((w): w is Checked & { value: string; status: string } => w.value !== null);
  const rows: SealedRow[] = sets.map((w) => ({
    write: w,
    ...(sealed?.get(w.variable.id) ??
      sealFor(vault, w.value, {
        organizationId: ctx.organizationId,
        variableId: w.variable.id,
        environmentId: env.id,
      })),
  }));
  // The audit trigger records these writes as a restore (not an update) while this is set.
  const restoring = options.source === "restore";
  if (restoring) await setLocal(tx, "app.value_action", "restore");
  const written = [
    ...(await insertValues(
      tx,
      ctx,
      env.id,
      rows.filter((r) => r.write.expectedVersion === 0),
    )),
    ...(await updateValues(
      tx,
      ctx,
      env.id,
      rows.filter((r) => r.write.expectedVersion !== 0),
    )),
  ];
  if (restoring) await setLocal(tx, "app.value_action", "");
  await deleteValues(
    tx,
    env.id,
    checked.filter((w) => w.value === null),
  );
  await recordChecks(tx, ctx, env.id, sets);
  return { status: "applied", written, riskLevel: gate.riskLevel };
}
