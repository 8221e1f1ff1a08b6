import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { nextHashKeyVersion } from "@/db/repos/key-hashes";
import {
  breakGlassEnvironments,
  getKeySettings,
  insertRotation,
  lockDataKeys,
  openRotation,
  saveKeySettings,
  setKeyStatus,
} from "@/db/repos/key-rotations";
import { countAllPending, dataKeyUse } from "@/db/repos/key-stores";
import { createDataKeyVersion, createHashKeyVersion } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";

/**
 * Key rotation (issue 16), the decisions: a new data-key version becomes active for new writes in the transaction
 * that starts it; the versions it replaces become `rotating` and still decrypt; the job (rotation-run.ts)
 * re-encrypts what they seal. A new hash-key version waits `pending` until the job swaps every value hash to it
 * at its end (hash-swap.ts). Rows of an environment under its wedding lock wait for the window to end, unless
 * the rotation was started by someone with break-glass open there. One rotation at a time per organization.
 */
export async function startRotation(tx: Tx, ctx: TenantContext) {
  requireCapability(ctx, "keys:manage");
  const keys = await lockDataKeys(tx, ctx.organizationId);
  if (await openRotation(tx, ctx.organizationId)) throw new AppError("conflict:rotation");
  const version = (keys[0]?.keyVersion ?? 0) + 1;
  const fromKeyIds = keys
    .filter((k) => k.keyStatus === "active" || k.keyStatus === "rotating")
    .map((k) => k.keyId);
  const dataKeyId = await createDataKeyVersion(tx, ctx.organizationId, version);
  const hmacKeyId = await createHashKeyVersion(
    tx,
    ctx.organizationId,
    await nextHashKeyVersion(tx, ctx.organizationId),
  );
  await setKeyStatus(
    tx,
    keys.filter((k) => k.keyStatus === "active").map((k) => k.keyId),
    "rotating",
  );
  const id = randomUUID();
  const pending = await countAllPending(tx, {
    organizationId: ctx.organizationId,
    rotationId: id,
    fromKeyIds,
    waitingEnvIds: [],
  });
  const total = pending.pending + pending.waiting;
  const breakGlass = await breakGlassEnvironments(tx, ctx.organizationId);
  const rotation = await insertRotation(tx, {
    id,
    organizationId: ctx.organizationId,
    dataKeyId,
    hmacKeyId,
    fromKeyIds,
    status: "running",
    breakGlassEnvironmentIds: breakGlass,
    total,
    startedBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "rotate",
    resourceType: "encryption_key",
    resourceId: id,
    details: {
      keyId: dataKeyId,
      hashKeyId: hmacKeyId,
      version,
      from: fromKeyIds,
      total,
      breakGlassEnvironmentIds: breakGlass,
    },
    riskLevel: "HIGH",
  });
  return rotation;
}

/** Revokes a deprecated data-key version: it never decrypts again. Refused while anything still uses it. */
export async function revokeKey(tx: Tx, ctx: TenantContext, input: { keyId: string }) {
  requireCapability(ctx, "keys:manage");
  const key = (await lockDataKeys(tx, ctx.organizationId)).find((k) => k.keyId === input.keyId);
  if (!key) throw new AppError("not_found");
  if (key.keyStatus === "revoked") throw new AppError("conflict:no_change");
  if (key.keyStatus !== "deprecated" || (await dataKeyUse(tx, key.keyId)) > 0)
    throw new AppError("conflict:key_in_use", {
      form: [
        key.keyStatus === "deprecated"
          ? `Version ${key.keyVersion} still encrypts data.`
          : `Version ${key.keyVersion} is ${key.keyStatus}: only a deprecated version (rotated away from, used by nothing) can be revoked.`,
      ],
    });
  await setKeyStatus(tx, [key.keyId], "revoked");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "encryption_key",
    resourceId: key.id,
    details: { keyId: key.keyId, version: key.keyVersion, status: "revoked" },
    riskLevel: "HIGH",
  });
  return { keyId: key.keyId, version: key.keyVersion };
}

/**
 * The organization's key settings: the minimum data-key version that may decrypt (refused above the active
 * version, or while an older version still encrypts something), and the rotation interval in days.
 */
export async function saveKeyPolicy(
  tx: Tx,
  ctx: TenantContext,
  input: { minDecryptionVersion: number; dataKeyRotationDays: number | null },
) {
  requireCapability(ctx, "keys:manage");
  const keys = await lockDataKeys(tx, ctx.organizationId);
  const active = keys.find((k) => k.keyStatus === "active");
  if (!active) throw new AppError("not_found");
  if (input.minDecryptionVersion > active.keyVersion)
    throw new AppError("validation", {
      minDecryptionVersion: [`Cannot be above the active version (${active.keyVersion}).`],
    });
  for (const key of keys.filter(
    (k) => k.keyVersion < input.minDecryptionVersion && k.keyStatus !== "revoked",
  )) {
    if (key.keyStatus !== "deprecated" || (await dataKeyUse(tx, key.keyId)) > 0)
      throw new AppError("conflict:key_in_use", {
        form: [`Version ${key.keyVersion} still encrypts data: rotate it away first.`],
      });
  }
  const before = await getKeySettings(tx, ctx.organizationId);
  await saveKeySettings(tx, { organizationId: ctx.organizationId, ...input, updatedBy: ctx.userId });
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "encryption_key",
    details: {
      minDecryptionVersion: { from: before.minDecryptionVersion, to: input.minDecryptionVersion },
      dataKeyRotationDays: { from: before.dataKeyRotationDays, to: input.dataKeyRotationDays },
    },
    riskLevel: "MEDIUM",
  });
  return input;
}
