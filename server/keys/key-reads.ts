import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import {
  activeDataKey,
  getKeySettings,
  listKeys,
  openRotation,
  recentRotations,
  rotationFailures,
} from "@/db/repos/key-rotations";
import { countAllPending } from "@/db/repos/key-stores";
import { dataKeyDue, rotationProgress } from "@/lib/key-rotation";
import { can } from "@/lib/policy";
import { requireCapability } from "@/server/authz";

/** Rows a rotation has still to re-encrypt, across every store (failures excluded, waiting rows included). */
async function remainingRows(tx: Tx, rotation: { id: string; organizationId: string; fromKeyIds: string[] }) {
  const { pending, waiting } = await countAllPending(tx, {
    organizationId: rotation.organizationId,
    rotationId: rotation.id,
    fromKeyIds: rotation.fromKeyIds,
    waitingEnvIds: [],
  });
  return pending + waiting;
}

/**
 * The keys page and `GET /api/v1/keys` (keys:read): every key version and its status (never key material), the
 * key settings, the latest rotation with its live progress and the rows it could not re-encrypt, and the
 * rotations before it.
 */
export async function keysOverview(tx: Tx, ctx: TenantContext, now = new Date()) {
  requireCapability(ctx, "keys:read");
  const [keys, settings, rotations] = await Promise.all([
    listKeys(tx, ctx.organizationId),
    getKeySettings(tx, ctx.organizationId),
    recentRotations(tx, ctx.organizationId),
  ]);
  const latest = rotations[0];
  const rotation = latest
    ? {
        id: latest.id,
        dataKeyId: latest.dataKeyId,
        fromKeyIds: latest.fromKeyIds,
        hashKeyId: latest.hmacKeyId,
        hashesSwappedAt: latest.hashesSwappedAt,
        status: latest.status,
        statusReason: latest.statusReason,
        total: latest.total,
        processed: latest.processed,
        succeeded: latest.succeeded,
        failed: latest.failed,
        startedAt: latest.startedAt,
        updatedAt: latest.updatedAt,
        finishedAt: latest.finishedAt,
        ...rotationProgress(latest, await remainingRows(tx, latest), now),
        failures: latest.failed > 0 ? await rotationFailures(tx, latest.id) : [],
      }
    : null;
  return {
    keys,
    settings: {
      minDecryptionVersion: settings.minDecryptionVersion,
      dataKeyRotationDays: settings.dataKeyRotationDays,
    },
    rotation,
    history: rotations.slice(1).map((r) => ({
      id: r.id,
      dataKeyId: r.dataKeyId,
      status: r.status,
      processed: r.processed,
      failed: r.failed,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    })),
  };
}

/**
 * The dashboard's reminder (keys:read; null for anyone else): the active data key is older than the
 * organization's rotation interval, and no rotation is under way.
 */
export async function dataKeyReminder(tx: Tx, ctx: TenantContext, now = new Date()) {
  if (!can(ctx.role, "keys:read")) return null;
  const [active, settings, open] = await Promise.all([
    activeDataKey(tx, ctx.organizationId),
    getKeySettings(tx, ctx.organizationId),
    openRotation(tx, ctx.organizationId),
  ]);
  if (!active || open) return null;
  const due = dataKeyDue(active.createdAt, settings.dataKeyRotationDays, now);
  return due
    ? { ...due, version: active.keyVersion, intervalDays: settings.dataKeyRotationDays as number }
    : null;
}
