import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentInOrg } from "@/db/repos/grants";
import { valueRow, versionCiphertext } from "@/db/repos/values";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { referencesIn } from "@/lib/references";
import type { RiskLevel } from "@/lib/risk";
import { revealNeedsStepUp } from "@/lib/step-up";
import { writeAudits } from "@/server/audit/audit";
import { requireRecentAuth, requireStepUpForReveal } from "@/server/auth/step-up";
import { requireValuePermission } from "@/server/authz";
import { type WriteOutcome, writeValues } from "@/server/values/value-writes";
import { liveVariable } from "@/server/variables/variables";
import { referredAudits, resolveEntries } from "./references";

type Target = { variableId: string; environmentId: string };

async function target(tx: Tx, ctx: TenantContext, t: Target) {
  const variable = await liveVariable(tx, ctx, t.variableId);
  const env = await environmentInOrg(tx, ctx, t.environmentId);
  return { variable, env };
}

/** A value change either applied (its new version) or waits as a change request. */
export type ValueChange =
  | { status: "applied"; version: number; valueHash: string | null }
  | { status: "requested"; requestId: string; riskLevel: RiskLevel };

function outcome(result: WriteOutcome): ValueChange {
  if (result.status === "requested")
    return { status: "requested", requestId: result.request.id, riskLevel: result.request.riskLevel };
  const [row] = result.written;
  // A deletion writes no row: the value is gone (version 0).
  if (!row) return { status: "applied", version: 0, valueHash: null };
  return { status: "applied", version: row.version, valueHash: row.valueHash };
}

/**
 * Sets a value if it is still at `expectedVersion` (0 = not set yet): checked, encrypted and versioned by
 * the shared write path; a HIGH or CRITICAL change waits for approval with the note as its reason.
 */
export async function setValue(
  tx: Tx,
  ctx: TenantContext,
  input: Target & { value: string; expectedVersion: number; note?: string },
): Promise<ValueChange> {
  const { variable, env } = await target(tx, ctx, input);
  return outcome(
    await writeValues(
      tx,
      ctx,
      env,
      [{ variable, value: input.value, expectedVersion: input.expectedVersion, note: input.note }],
      { reason: input.note, source: "edit" },
    ),
  );
}

/** Restores an earlier version as a new version (the old ciphertext is decrypted and re-encrypted). */
export async function restoreVersion(
  tx: Tx,
  ctx: TenantContext,
  input: Target & { version: number; expectedVersion: number; reason?: string },
): Promise<ValueChange> {
  const { variable, env } = await target(tx, ctx, input);
  await requireValuePermission(tx, ctx, variable.id, env, "read");
  const old = await versionCiphertext(tx, variable.id, env.id, input.version);
  if (!old?.encryptedValue || !old.encryptionKeyId) throw new AppError("not_found");
  const vault = await orgVault(tx, ctx.organizationId);
  const value = vault.decryptValue(
    { ciphertext: old.encryptedValue, keyId: old.encryptionKeyId },
    { organizationId: ctx.organizationId, variableId: variable.id, environmentId: env.id },
  );
  const note = [`Restored v${input.version}`, input.reason].filter(Boolean).join(": ");
  return outcome(
    await writeValues(tx, ctx, env, [{ variable, value, expectedVersion: input.expectedVersion, note }], {
      reason: input.reason,
      reasonField: "reason",
      source: "restore",
    }),
  );
}

/** Deletes a value at `expectedVersion` through the one write path; a HIGH or CRITICAL deletion waits for approval (note = reason). */
export async function deleteValue(
  tx: Tx,
  ctx: TenantContext,
  input: Target & { expectedVersion: number; note?: string },
): Promise<ValueChange> {
  const { variable, env } = await target(tx, ctx, input);
  return outcome(
    await writeValues(
      tx,
      ctx,
      env,
      [{ variable, value: null, expectedVersion: input.expectedVersion, note: input.note }],
      { reason: input.note, source: "delete" },
    ),
  );
}

/** The audited reveal: the only path by which a plaintext value leaves the server. */
export async function revealValue(tx: Tx, ctx: TenantContext, input: Target) {
  const { variable, env } = await target(tx, ctx, input);
  await requireValuePermission(tx, ctx, variable.id, env, "read");
  await requireStepUpForReveal(tx, ctx, variable, env);
  const current = await valueRow(tx, input.variableId, input.environmentId);
  if (!current) throw new AppError("not_found");
  const vault = await orgVault(tx, ctx.organizationId);
  const value = vault.decryptValue(
    { ciphertext: current.encryptedValue, keyId: current.encryptionKeyId },
    { organizationId: ctx.organizationId, variableId: variable.id, environmentId: env.id },
  );
  const resolved = await revealedReferences(tx, ctx, env, variable.name, value);
  await writeAudits(tx, ctx, [
    {
      action: "decrypt",
      resourceType: "value",
      variableId: variable.id,
      environmentId: env.id,
      newValueHash: current.valueHash,
      details: { name: variable.name, environment: env.name, version: current.version },
    },
    ...referredAudits(resolved?.revealed ?? [], { referredFrom: `${env.name}.${variable.name}` }),
  ]);
  return { value, version: current.version, resolved: resolved?.shown ?? null };
}

/**
 * What a revealed value's references resolve to, for the editor to show beside the value as written: the resolved
 * text, or why it does not resolve for this person today. Revealing it reveals what it refers to: the same
 * step-up, and those values are audited as revealed too.
 */
async function revealedReferences(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  key: string,
  value: string,
) {
  if (referencesIn(value).length === 0) return null;
  try {
    const { entries, revealed } = await resolveEntries(tx, ctx, env, [{ key, value }]);
    if (revealed.some((r) => revealNeedsStepUp(r, r.environment.environmentType)))
      await requireRecentAuth(tx, ctx);
    return { shown: { value: entries[0].value }, revealed };
  } catch (error) {
    if (!(error instanceof AppError) || !error.fieldErrors?.[key]) throw error;
    return { shown: { problem: error.fieldErrors[key].join(" ") }, revealed: [] };
  }
}
