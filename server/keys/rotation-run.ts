import { type Database, getDb, type Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { setLocal, withContext } from "@/db/context";
import { databaseErrorCode } from "@/db/errors";
import { insertHashPairs } from "@/db/repos/key-hashes";
import {
  addProgress,
  lockedEnvironments,
  lockRetiringKeys,
  lockRotation,
  recordFailures,
  setKeyStatus,
  setRotationStatus,
} from "@/db/repos/key-rotations";
import {
  countAllPending,
  dataKeyUse,
  type KeyStore,
  lockPendingRows,
  STORE_NAMES,
  writeResealed,
} from "@/db/repos/key-stores";
import { DecryptionError, type HashPair, orgVault } from "@/db/vault";
import { writeAudit } from "@/server/audit/audit";
import { swapHashKey } from "./hash-swap";
import { reseal } from "./stores";

export const BATCH_SIZE = 1000;

/** What one batch did: `more` there is work now; `busy` rows are held by writers; `waiting` wedding hours. */
export type BatchOutcome =
  | { state: "more"; succeeded: number; failed: number }
  | { state: "busy" }
  | { state: "waiting"; environments: string[] }
  /** Every row is re-encrypted: the hash swap is next (hash-swap.ts, a transaction of its own). */
  | { state: "swap" }
  | { state: "finished"; status: "completed" | "failed" }
  | { state: "gone" };

/**
 * One batch of a rotation, in one transaction: the rotation row is locked (one batch at a time across workers),
 * up to `limit` rows still sealed by a retiring key are locked (rows a writer holds are skipped), re-encrypted
 * under the new key and written with the progress figures. Commit makes both durable together, so a worker
 * killed mid-way loses at most its open batch, and the next one resumes from what is still to do.
 */
/**
 * Where a run is in its pass over the stores: each store is walked in id order from `after`, and left once it
 * reached its end. A pass that found nothing is begun again from the start (rows a writer held were skipped)
 * before the rotation is declared done.
 */
export type RotationPass = { after: Partial<Record<KeyStore, string>>; ended: Set<KeyStore> };
export const newPass = (): RotationPass => ({ after: {}, ended: new Set() });

export async function rotateBatch(
  ctx: TenantContext,
  rotationId: string,
  limit = BATCH_SIZE,
  pass: RotationPass = newPass(),
  database: Database = getDb(),
): Promise<BatchOutcome> {
  return withContext(
    ctx,
    async (tx) => {
      const rotation = await lockRotation(tx, rotationId);
      if (!rotation) return { state: "gone" };
      if (rotation.status === "completed" || rotation.status === "failed")
        return { state: "finished", status: rotation.status };
      await setLocal(tx, "ringbearer.key_rotation", rotation.id);
      const vault = await orgVault(tx, ctx.organizationId);
      const locked = await lockedEnvironments(tx, ctx.organizationId);
      const waiting = locked.filter((e) => !rotation.breakGlassEnvironmentIds.includes(e.id));
      const scope = {
        organizationId: ctx.organizationId,
        rotationId: rotation.id,
        fromKeyIds: rotation.fromKeyIds,
        waitingEnvIds: waiting.map((e) => e.id),
      };
      let succeeded = 0;
      const failures: {
        rotationId: string;
        organizationId: string;
        store: string;
        rowId: string;
        reason: string;
      }[] = [];
      const fresh = pass.ended.size === 0 && Object.keys(pass.after).length === 0;
      const hashes: HashPair[] = [];
      for (const store of STORE_NAMES) {
        const budget = limit - succeeded - failures.length;
        if (budget <= 0) break;
        if (pass.ended.has(store)) continue;
        const rows = await lockPendingRows(tx, store, { ...scope, limit: budget, after: pass.after[store] });
        if (rows.length < budget) pass.ended.add(store);
        if (rows.length > 0) pass.after[store] = rows[rows.length - 1].id;
        const resealed: { id: string; sealed: string }[] = [];
        for (const row of rows) {
          try {
            const next = reseal(vault, store, ctx.organizationId, row);
            resealed.push({ id: row.id, sealed: next.ciphertext });
            if (next.hashes) hashes.push(next.hashes);
          } catch (error) {
            if (!(error instanceof DecryptionError)) throw error;
            failures.push({ ...scope, store, rowId: row.id, reason: error.message.slice(0, 200) });
          }
        }
        await writeResealed(tx, store, resealed, vault.activeKeyId);
        succeeded += resealed.length;
      }
      // The pairs for the hash swap at the end, recorded with the batch (the hashes do not change yet).
      if (rotation.hmacKeyId && !rotation.hashesSwappedAt)
        await insertHashPairs(tx, rotation.id, ctx.organizationId, hashes);
      if (succeeded + failures.length > 0) {
        await recordFailures(
          tx,
          failures.map(({ rotationId, organizationId, store, rowId, reason }) => ({
            rotationId,
            organizationId,
            store,
            rowId,
            reason,
          })),
        );
        await addProgress(tx, rotation.id, succeeded, failures.length);
        if (rotation.status === "paused") await setRotationStatus(tx, rotation.id, "running", null);
        return { state: "more", succeeded, failed: failures.length };
      }
      if (!fresh) {
        Object.assign(pass, newPass());
        return { state: "more", succeeded: 0, failed: 0 };
      }
      return finishOrWait(tx, ctx, rotation, scope, waiting);
    },
    database,
  );
}

type Rotation = NonNullable<Awaited<ReturnType<typeof lockRotation>>>;

/**
 * Nothing could be locked: rows held by writers (try again), rows in locked environments only (paused until the
 * window ends), or nothing left. Then the retiring keys are locked (a write under one in flight finishes first,
 * and any later one is refused), counted once more, and deprecated when nothing uses them; a rotation with rows
 * it could not decrypt ends `failed`, its old keys still `rotating`.
 */
async function finishOrWait(
  tx: Tx,
  ctx: TenantContext,
  rotation: Rotation,
  scope: { organizationId: string; rotationId: string; fromKeyIds: string[]; waitingEnvIds: string[] },
  waiting: { id: string; name: string }[],
): Promise<BatchOutcome> {
  await lockRetiringKeys(tx, rotation.fromKeyIds);
  const { pending, waiting: held } = await countAllPending(tx, scope);
  if (pending > 0) return { state: "busy" };
  if (held > 0) {
    const names = waiting.map((e) => e.name);
    if (rotation.status !== "paused")
      await setRotationStatus(
        tx,
        rotation.id,
        "paused",
        `Waiting for wedding hours to end in ${names.join(", ")}: ${held} rows there are still to re-encrypt.`,
      );
    return { state: "waiting", environments: names };
  }
  if (rotation.hmacKeyId && !rotation.hashesSwappedAt) {
    // Every hash of the organization is swapped at once, those of locked environments too: not during their window.
    if (waiting.length > 0) {
      const names = waiting.map((e) => e.name).join(", ");
      if (rotation.status !== "paused")
        await setRotationStatus(
          tx,
          rotation.id,
          "paused",
          `Waiting for wedding hours to end in ${names}: value hashes move to the new hash key in one step.`,
        );
      return { state: "waiting", environments: waiting.map((e) => e.name) };
    }
    return { state: "swap" };
  }
  const stillUsed: string[] = [];
  for (const keyId of rotation.fromKeyIds) if ((await dataKeyUse(tx, keyId)) > 0) stillUsed.push(keyId);
  const retired = rotation.fromKeyIds.filter((k) => !stillUsed.includes(k));
  await setKeyStatus(tx, retired, "deprecated");
  const status = stillUsed.length > 0 ? "failed" : "completed";
  await setRotationStatus(
    tx,
    rotation.id,
    status,
    status === "failed"
      ? `${rotation.failed} rows could not be decrypted; ${stillUsed.join(", ")} stays in use for them.`
      : null,
  );
  await writeAudit(tx, ctx, {
    action: "rotate",
    resourceType: "encryption_key",
    resourceId: rotation.id,
    details: {
      keyId: rotation.dataKeyId,
      status,
      processed: rotation.processed,
      succeeded: rotation.succeeded,
      failed: rotation.failed,
      deprecated: retired,
    },
    riskLevel: "HIGH",
  });
  return { state: "finished", status };
}

/**
 * Runs a rotation until it ends, waits on wedding hours, or `until` passes (the job then leaves it to the next
 * run). Rows held by writers are looked at again after `busyMs`.
 */
export async function runRotation(
  ctx: TenantContext,
  rotationId: string,
  options: { limit?: number; until?: number; busyMs?: number; database?: Database } = {},
): Promise<BatchOutcome> {
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const pass = newPass();
  for (;;) {
    const outcome = await rotateBatch(ctx, rotationId, options.limit, pass, options.database).catch(
      (error: unknown) => {
        // A batch chosen as a deadlock's victim (a writer locking in another order) did nothing: try again.
        if (databaseErrorCode(error) === "40P01") return { state: "busy" } as const;
        throw error;
      },
    );
    if (outcome.state === "swap") {
      await swapHashKey(ctx, rotationId, options.database).catch((error: unknown) => {
        // A window opened, or a writer deadlocked with the swap: the next batch looks again (and pauses).
        if (!["40P01", "RBW01"].includes(databaseErrorCode(error) ?? "")) throw error;
      });
      continue;
    }
    if (outcome.state !== "more" && outcome.state !== "busy") return outcome;
    if (Date.now() > until) return outcome;
    if (outcome.state === "busy") await new Promise((r) => setTimeout(r, options.busyMs ?? 200));
  }
}
