import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import {
  failSyncsStartedBefore,
  finishSync,
  insertSync,
  mergeSyncDetails,
  type NewSync,
  takePendingSync,
} from "@/db/repos/syncs";
import { setManagedKeys } from "@/db/repos/targets";
import { AppError } from "@/lib/errors";
import { deployedHash } from "@/lib/sync-protocol";
import { TargetError } from "@/lib/targets/types";
import { writeAudit } from "@/server/audit/audit";
import { requireValuePermission } from "@/server/authz";
import { openTarget, recordContact, requireActive } from "@/server/targets/sync-targets";
import { consoleValues, type DesiredKey, type Snapshot, snapshotValues } from "@/server/targets/target-state";
import { assertNotLocked } from "@/server/values/value-writes";

export type PushOutcome = {
  syncId: string;
  status: "completed" | "failed";
  set: number;
  deleted: number;
  /** Keys on the target the console did not push and therefore left alone. */
  keptUnmanaged: string[];
  message: string;
};

type PushInput = {
  targetId: string;
  /** Push only these keys (resolving drift); nothing else is set or deleted. */
  names?: string[];
  /** Redeploy what this earlier completed sync pushed. */
  rollbackOf?: string;
  syncType?: "manual" | "automated" | "pipeline";
  /** A `pending` sync queued for this push (automated pushes): it is taken over instead of a new row. */
  pendingSyncId?: string;
};

/**
 * Where a push is, shown live on the Drift page: reading the target's state, sending the difference (one
 * atomic PUT, so the target never holds half a push), done.
 */
export type PushPhase = "reading" | "sending" | "done";

/** A push that has been running this long was left by a console process that stopped. */
const ABANDONED_AFTER = "15 minutes";

/**
 * Starts the sync row: takes over the queued `pending` row, or inserts one `in_progress`. The partial unique
 * index `deployment_syncs_one_running` keeps one running push per target across console processes; a row
 * left running by a process that stopped is failed first.
 */
async function startSync(tx: Tx, targetId: string, row: NewSync, pendingId?: string) {
  await failSyncsStartedBefore(
    tx,
    targetId,
    ABANDONED_AFTER,
    "Abandoned: the console stopped before this push finished",
  );
  if (pendingId) {
    const taken = await takePendingSync(tx, pendingId, targetId, row.syncDetails);
    if (!taken) throw new AppError("not_found");
    return taken.id;
  }
  const sync = await insertSync(tx, row);
  if (!sync) throw new AppError("conflict:running");
  return sync.id;
}

/** Records the phase of a running push (its own short transaction: everyone sees it at once). */
async function recordPhase(
  ctx: TenantContext,
  syncId: string,
  progress: { phase: PushPhase } & Record<string, unknown>,
) {
  await withContext(ctx, (tx) => mergeSyncDetails(tx, syncId, { progress }));
}

/**
 * Pushes an environment to a target. Three short steps, so everyone sees the sync while it runs and a failure
 * is recorded rather than rolled back: (1) plan in a transaction — an active target, permission to write the
 * environment, the wedding-hours lock (break-glass lets it through), the values decrypted in memory, a sync
 * row `in_progress` (one per target at a time); (2) talk to the target — read its state, send only what
 * differs in one atomic PUT, delete only keys the console pushed earlier (or any key, if the target says so),
 * verify the result by hash, recording each phase as it starts; (3) record the outcome, the snapshot for
 * rollback and the managed keys, with an audit row. Idempotent: a second push of the same values sends
 * nothing. The console's own values never change.
 */
export async function pushToTarget(ctx: TenantContext, input: PushInput): Promise<PushOutcome> {
  const started = performance.now();
  const plan = await withContext(ctx, async (tx) => {
    const open = await openTarget(tx, ctx, input.targetId);
    requireActive(open);
    await requireValuePermission(tx, ctx, null, open.env, "write");
    await assertNotLocked(tx, open.env.id);
    const { desired, lost } = input.rollbackOf
      ? await snapshotValues(tx, ctx, open, input.rollbackOf)
      : { desired: await consoleValues(tx, ctx, open.env, { names: input.names }), lost: [] as string[] };
    const syncId = await startSync(
      tx,
      open.target.id,
      {
        organizationId: ctx.organizationId,
        environmentId: open.env.id,
        targetId: open.target.id,
        syncType: input.rollbackOf ? "rollback" : (input.syncType ?? "manual"),
        syncStatus: "in_progress",
        startedBy: ctx.userId,
        syncDetails: {
          target: open.target.name,
          keys: desired.length,
          progress: { phase: "reading" },
          ...(input.names ? { only: input.names } : {}),
          ...(input.rollbackOf ? { rollback_of: input.rollbackOf, lost } : {}),
        },
      },
      input.pendingSyncId,
    );
    return { open, desired, syncId };
  });
  const { open, desired, syncId } = plan;
  const hash = (d: DesiredKey) => deployedHash(open.secret, d.value);
  try {
    const before = await open.driver.state();
    const set = desired.filter((d) => before.get(d.name) !== hash(d));
    const wanted = new Set(desired.map((d) => d.name));
    const managed = new Set(open.target.managedKeys);
    const others = input.names ? [] : [...before.keys()].filter((n) => !wanted.has(n));
    const deleted = others.filter((n) => open.target.deleteUnmanaged || managed.has(n));
    const gone = new Set(deleted);
    const keptUnmanaged = others.filter((n) => !gone.has(n));
    let after = before;
    if (set.length + deleted.length > 0) {
      await recordPhase(ctx, syncId, { phase: "sending", set: set.length, delete: deleted.length });
      after = await open.driver.apply({
        set: Object.fromEntries(set.map((d) => [d.name, d.value])),
        delete: deleted,
      });
    }
    const failed = desired.filter((d) => after.get(d.name) !== hash(d)).map((d) => d.name);
    const status = failed.length > 0 ? ("failed" as const) : ("completed" as const);
    const message =
      status === "completed"
        ? `Pushed ${set.length} key(s), deleted ${deleted.length}, left ${keptUnmanaged.length} unmanaged key(s) alone`
        : `The target did not take ${failed.length} key(s): ${failed.slice(0, 10).join(", ")}`;
    const snapshot: Snapshot = Object.fromEntries(
      desired.map((d) => [d.name, { variableId: d.variableId, version: d.version }]),
    );
    await withContext(ctx, async (tx) => {
      await finishSync(tx, syncId, {
        syncStatus: status,
        variablesSynced: set.length + deleted.length - failed.length,
        variablesFailed: failed.length,
        syncDurationMs: Math.round(performance.now() - started),
        errorLog: failed.length > 0 ? [message] : null,
        details: {
          set: set.map((d) => d.name),
          deleted,
          kept_unmanaged: keptUnmanaged,
          progress: { phase: "done" },
          ...(input.names ? {} : { snapshot }),
        },
      });
      const nowManaged = [...new Set([...managed, ...set.map((d) => d.name)])].filter((n) => !gone.has(n));
      await setManagedKeys(tx, open.target.id, nowManaged.sort());
      await recordContact(tx, open.target.id, { ok: status === "completed", message });
      await writeAudit(tx, ctx, {
        action: "sync",
        resourceType: "sync_target",
        resourceId: open.target.id,
        environmentId: open.env.id,
        details: {
          sync: syncId,
          status,
          target: open.target.name,
          set: set.length,
          deleted: deleted.length,
          kept_unmanaged: keptUnmanaged.length,
          ...(input.rollbackOf ? { rollback_of: input.rollbackOf } : {}),
        },
      });
    });
    return { syncId, status, set: set.length, deleted: deleted.length, keptUnmanaged, message };
  } catch (error) {
    const message = error instanceof TargetError ? error.message : "The push failed on our side";
    await withContext(ctx, async (tx) => {
      await finishSync(tx, syncId, {
        syncStatus: "failed",
        syncDurationMs: Math.round(performance.now() - started),
        variablesFailed: desired.length,
        errorLog: [message],
      });
      await recordContact(tx, open.target.id, { ok: false, message });
      await writeAudit(tx, ctx, {
        action: "sync",
        resourceType: "sync_target",
        resourceId: open.target.id,
        environmentId: open.env.id,
        details: { sync: syncId, status: "failed", target: open.target.name, error: message },
      });
    });
    if (!(error instanceof TargetError)) throw error;
    return { syncId, status: "failed", set: 0, deleted: 0, keptUnmanaged: [], message };
  }
}
