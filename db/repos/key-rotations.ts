import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { encryptionKeys, environments, keyRotationFailures, keyRotations, keySettings } from "@/db/schema";

/** Data keys, key settings and rotations of the current organization (row-level security scopes them). */

export type KeyRow = typeof encryptionKeys.$inferSelect;
export type RotationRow = typeof keyRotations.$inferSelect;

/** The organization's keys, newest version first (the wrapped key is never part of a read for the page). */
export async function listKeys(tx: Tx, organizationId: string) {
  return tx
    .select({
      keyId: encryptionKeys.keyId,
      keyType: encryptionKeys.keyType,
      keyVersion: encryptionKeys.keyVersion,
      keyStatus: encryptionKeys.keyStatus,
      algorithm: encryptionKeys.algorithm,
      createdAt: encryptionKeys.createdAt,
      rotatedAt: encryptionKeys.rotatedAt,
    })
    .from(encryptionKeys)
    .where(eq(encryptionKeys.organizationId, organizationId))
    .orderBy(asc(encryptionKeys.keyType), desc(encryptionKeys.keyVersion));
}

/**
 * The organization's data keys, locked until the transaction ends against another start, revoke or settings
 * change (FOR NO KEY UPDATE: a write sealing under a key holds it FOR KEY SHARE, and is not waited for).
 */
export async function lockDataKeys(tx: Tx, organizationId: string) {
  return tx
    .select()
    .from(encryptionKeys)
    .where(and(eq(encryptionKeys.organizationId, organizationId), eq(encryptionKeys.keyType, "data")))
    .orderBy(desc(encryptionKeys.keyVersion))
    .for("no key update");
}

/**
 * Retiring keys locked FOR UPDATE: waits for every write in flight that seals under one (they hold it FOR KEY
 * SHARE, migration 0037), and any later such write finds the key deprecated and is refused.
 */
export async function lockRetiringKeys(tx: Tx, keyIds: string[]) {
  if (keyIds.length === 0) return;
  await tx
    .select({ keyId: encryptionKeys.keyId })
    .from(encryptionKeys)
    .where(inArray(encryptionKeys.keyId, keyIds))
    .for("update");
}

/** Moves data keys to a status; the database checks the transition and that nothing uses a key it retires. */
export async function setKeyStatus(tx: Tx, keyIds: string[], status: "rotating" | "deprecated" | "revoked") {
  if (keyIds.length === 0) return;
  await tx
    .update(encryptionKeys)
    .set({ keyStatus: status, ...(status === "rotating" ? { rotatedAt: sql`now()` } : {}) })
    .where(inArray(encryptionKeys.keyId, keyIds));
}

export async function getKeySettings(tx: Tx, organizationId: string) {
  const [row] = await tx.select().from(keySettings).where(eq(keySettings.organizationId, organizationId));
  return row ?? { organizationId, minDecryptionVersion: 1, dataKeyRotationDays: null };
}

export async function saveKeySettings(
  tx: Tx,
  row: {
    organizationId: string;
    minDecryptionVersion: number;
    dataKeyRotationDays: number | null;
    updatedBy: string;
  },
) {
  await tx
    .insert(keySettings)
    .values(row)
    .onConflictDoUpdate({
      target: keySettings.organizationId,
      set: {
        minDecryptionVersion: row.minDecryptionVersion,
        dataKeyRotationDays: row.dataKeyRotationDays,
        updatedBy: row.updatedBy,
        updatedAt: sql`now()`,
      },
    });
}

export async function insertRotation(tx: Tx, row: typeof keyRotations.$inferInsert) {
  const [created] = await tx.insert(keyRotations).values(row).returning();
  return created;
}

/** The organization's open (running or paused) rotation, if any. */
export async function openRotation(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select()
    .from(keyRotations)
    .where(
      and(
        eq(keyRotations.organizationId, organizationId),
        inArray(keyRotations.status, ["running", "paused"]),
      ),
    );
  return row;
}

/** One rotation, locked for this transaction (one batch at a time, whatever the number of workers). */
export async function lockRotation(tx: Tx, rotationId: string) {
  const [row] = await tx.select().from(keyRotations).where(eq(keyRotations.id, rotationId)).for("update");
  return row;
}

export async function rotationById(tx: Tx, organizationId: string, rotationId: string) {
  const [row] = await tx
    .select()
    .from(keyRotations)
    .where(and(eq(keyRotations.organizationId, organizationId), eq(keyRotations.id, rotationId)));
  return row;
}

export async function recentRotations(tx: Tx, organizationId: string, limit = 10) {
  return tx
    .select()
    .from(keyRotations)
    .where(eq(keyRotations.organizationId, organizationId))
    .orderBy(desc(keyRotations.startedAt))
    .limit(limit);
}

/** Adds one batch's outcome to the rotation's figures. */
export async function addProgress(tx: Tx, rotationId: string, succeeded: number, failed: number) {
  await tx
    .update(keyRotations)
    .set({
      processed: sql`${keyRotations.processed} + ${succeeded + failed}`,
      succeeded: sql`${keyRotations.succeeded} + ${succeeded}`,
      failed: sql`${keyRotations.failed} + ${failed}`,
      updatedAt: sql`now()`,
    })
    .where(eq(keyRotations.id, rotationId));
}

export async function setRotationStatus(
  tx: Tx,
  rotationId: string,
  status: RotationRow["status"],
  reason: string | null,
) {
  const finished = status === "completed" || status === "failed";
  await tx
    .update(keyRotations)
    .set({
      status,
      statusReason: reason,
      updatedAt: sql`now()`,
      ...(finished ? { finishedAt: sql`now()` } : {}),
    })
    .where(eq(keyRotations.id, rotationId));
}

export async function recordFailures(
  tx: Tx,
  rows: { rotationId: string; organizationId: string; store: string; rowId: string; reason: string }[],
) {
  if (rows.length > 0) await tx.insert(keyRotationFailures).values(rows).onConflictDoNothing();
}

export async function rotationFailures(tx: Tx, rotationId: string, limit = 50) {
  return tx
    .select({
      store: keyRotationFailures.store,
      rowId: keyRotationFailures.rowId,
      reason: keyRotationFailures.reason,
    })
    .from(keyRotationFailures)
    .where(eq(keyRotationFailures.rotationId, rotationId))
    .limit(limit);
}

/** Environments of the organization under their wedding lock now (app_env_locked), with their names. */
export async function lockedEnvironments(tx: Tx, organizationId: string) {
  return tx
    .select({ id: environments.id, name: environments.name })
    .from(environments)
    .where(and(eq(environments.organizationId, organizationId), sql`app_env_locked(${environments.id})`));
}

/** Protected environments whose break-glass session this person has open now (app_emergency_ok). */
export async function breakGlassEnvironments(tx: Tx, organizationId: string) {
  const rows = await tx
    .select({ id: environments.id })
    .from(environments)
    .where(and(eq(environments.organizationId, organizationId), sql`app_emergency_ok(${environments.id})`));
  return rows.map((r) => r.id);
}

/** When the active data key became active (its creation), and the organization's rotation interval. */
export async function activeDataKey(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select({ keyVersion: encryptionKeys.keyVersion, createdAt: encryptionKeys.createdAt })
    .from(encryptionKeys)
    .where(
      and(
        eq(encryptionKeys.organizationId, organizationId),
        eq(encryptionKeys.keyType, "data"),
        eq(encryptionKeys.keyStatus, "active"),
      ),
    )
    .orderBy(desc(encryptionKeys.keyVersion))
    .limit(1);
  return row;
}
