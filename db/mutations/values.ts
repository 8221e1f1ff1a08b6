import { and, eq, max, sql } from "drizzle-orm";
import { decryptValue, encryptValue, hmacValue } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { environmentInOrg, requireValuePermission } from "../authz";
import type { Tx } from "../client";
import { setLocal, type TenantContext } from "../context";
import { orgKeys } from "../keyring";
import { environmentVariableValues, valueVersions } from "../schema";
import { writeAudit } from "./audit";
import { liveVariable } from "./variables";

type Target = { variableId: string; environmentId: string };

async function target(tx: Tx, ctx: TenantContext, t: Target) {
  const variable = await liveVariable(tx, ctx, t.variableId);
  const env = await environmentInOrg(tx, ctx, t.environmentId);
  return { variable, env };
}

/** Refuses early with a clear error; the database trigger refuses too, whoever writes. */
async function assertNotLocked(tx: Tx, environmentId: string) {
  const [row] = await tx.execute<{ locked: boolean; emergency: boolean }>(
    sql`select app_env_locked(${environmentId}) as locked, app_emergency_ok(${environmentId}) as emergency`,
  );
  if (row.locked && !row.emergency) throw new AppError("locked:wedding_hours");
}

async function currentValue(tx: Tx, t: Target) {
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
        eq(environmentVariableValues.variableId, t.variableId),
        eq(environmentVariableValues.environmentId, t.environmentId),
      ),
    );
  return row;
}

function conflict(current: { version: number; valueHash: string } | undefined) {
  return new AppError("conflict:version", undefined, {
    currentVersion: current?.version ?? 0,
    currentHash: current?.valueHash ?? null,
  });
}

/**
 * Sets a value if it is still at `expectedVersion` (0 = not set yet). Encrypts under the organization's
 * active data key with the row as AAD; history and audit rows are written by the database trigger.
 */
export async function setValue(
  tx: Tx,
  ctx: TenantContext,
  input: Target & { value: string; expectedVersion: number; note?: string },
) {
  const { variable, env } = await target(tx, ctx, input);
  await requireValuePermission(tx, ctx, variable.id, env, "write");
  if (!env.isActive) throw new AppError("validation", { value: ["This environment is inactive"] });
  await assertNotLocked(tx, env.id);
  if (variable.validationPattern && !new RegExp(variable.validationPattern).test(input.value)) {
    throw new AppError("validation", { value: [`Does not match the pattern ${variable.validationPattern}`] });
  }
  const keys = await orgKeys(tx, ctx.organizationId);
  const encryptedValue = encryptValue(keys.dataKey, input.value, {
    organizationId: ctx.organizationId,
    variableId: variable.id,
    environmentId: env.id,
  });
  const valueHash = hmacValue(keys.hmacKey, input.value);
  const current = await currentValue(tx, input);
  const common = {
    encryptedValue,
    valueHash,
    encryptionKeyId: keys.dataKeyId,
    changeNote: input.note ?? null,
    updatedBy: ctx.userId,
    updatedAt: new Date(),
  };
  if (input.expectedVersion === 0) {
    if (current) throw conflict(current);
    const [last] = await tx
      .select({ v: max(valueVersions.version) })
      .from(valueVersions)
      .where(and(eq(valueVersions.variableId, variable.id), eq(valueVersions.environmentId, env.id)));
    const [row] = await tx
      .insert(environmentVariableValues)
      .values({
        ...common,
        organizationId: ctx.organizationId,
        variableId: variable.id,
        environmentId: env.id,
        version: (last?.v ?? 0) + 1,
        createdBy: ctx.userId,
      })
      .onConflictDoNothing()
      .returning({
        version: environmentVariableValues.version,
        valueHash: environmentVariableValues.valueHash,
      });
    if (!row) throw conflict(await currentValue(tx, input));
    return row;
  }
  const [row] = await tx
    .update(environmentVariableValues)
    .set({ ...common, version: sql`${environmentVariableValues.version} + 1` })
    .where(
      and(
        eq(environmentVariableValues.variableId, variable.id),
        eq(environmentVariableValues.environmentId, env.id),
        eq(environmentVariableValues.version, input.expectedVersion),
      ),
    )
    .returning({
      version: environmentVariableValues.version,
      valueHash: environmentVariableValues.valueHash,
    });
  if (!row) throw conflict(current);
  return row;
}

export async function deleteValue(
  tx: Tx,
  ctx: TenantContext,
  input: Target & { expectedVersion: number; note?: string },
) {
  const { variable, env } = await target(tx, ctx, input);
  await requireValuePermission(tx, ctx, variable.id, env, "write");
  await assertNotLocked(tx, env.id);
  if (input.note) await setLocal(tx, "app.change_note", input.note);
  const [row] = await tx
    .delete(environmentVariableValues)
    .where(
      and(
        eq(environmentVariableValues.variableId, variable.id),
        eq(environmentVariableValues.environmentId, env.id),
        eq(environmentVariableValues.version, input.expectedVersion),
      ),
    )
    .returning({ id: environmentVariableValues.id });
  if (!row) throw conflict(await currentValue(tx, input));
}

/** The audited reveal: the only path by which a plaintext value leaves the server. */
export async function revealValue(tx: Tx, ctx: TenantContext, input: Target) {
  const { variable, env } = await target(tx, ctx, input);
  await requireValuePermission(tx, ctx, variable.id, env, "read");
  const current = await currentValue(tx, input);
  if (!current) throw new AppError("not_found");
  const keys = await orgKeys(tx, ctx.organizationId);
  const key = keys.byId.get(current.encryptionKeyId);
  if (!key) throw new Error(`data key ${current.encryptionKeyId} is not available`);
  const value = decryptValue(key, current.encryptedValue, {
    organizationId: ctx.organizationId,
    variableId: variable.id,
    environmentId: env.id,
  });
  await writeAudit(tx, ctx, {
    action: "decrypt",
    resourceType: "value",
    variableId: variable.id,
    environmentId: env.id,
    newValueHash: current.valueHash,
    details: { name: variable.name, environment: env.name, version: current.version },
  });
  return { value, version: current.version };
}
