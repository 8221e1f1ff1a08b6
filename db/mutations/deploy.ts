import { eq, sql } from "drizzle-orm";
import { deployedHash } from "@/lib/sync-protocol";
import { TargetError } from "@/lib/targets/types";
import { requireValuePermission } from "../authz";
import { type TenantContext, withContext } from "../context";
import { deploymentSyncs, syncTargets } from "../schema";
import { writeAudit } from "./audit";
import { openTarget, recordContact } from "./sync-targets";
import { consoleValues, type DesiredKey, type Snapshot, snapshotValues } from "./target-state";
import { assertNotLocked } from "./value-writes";

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
};

/**
 * Pushes an environment to a target. Three short steps, so everyone sees the sync while it runs and a failure
 * is recorded rather than rolled back: (1) plan in a transaction — permission to write the environment, the
 * wedding-hours lock (break-glass lets it through), the values decrypted in memory, a sync row
 * `in_progress`; (2) talk to the target — read its state, send only what differs, delete only keys the
 * console pushed earlier (or any key, if the target says so), verify the result by hash; (3) record the
 * outcome, the snapshot for rollback and the managed keys, with an audit row. Idempotent: a second push of
 * the same values sends nothing. The console's own values never change.
 */
export async function pushToTarget(ctx: TenantContext, input: PushInput): Promise<PushOutcome> {
  const started = performance.now();
  const plan = await withContext(ctx, async (tx) => {
    const open = await openTarget(tx, ctx, input.targetId);
    await requireValuePermission(tx, ctx, null, open.env, "write");
    await assertNotLocked(tx, open.env.id);
    const { desired, lost } = input.rollbackOf
      ? await snapshotValues(tx, ctx, open, input.rollbackOf)
      : { desired: await consoleValues(tx, ctx, open.env, input.names), lost: [] as string[] };
    const [sync] = await tx
      .insert(deploymentSyncs)
      .values({
        organizationId: ctx.organizationId,
        environmentId: open.env.id,
        targetId: open.target.id,
        syncType: input.rollbackOf ? "rollback" : (input.syncType ?? "manual"),
        syncStatus: "in_progress",
        startedBy: ctx.userId,
        syncDetails: {
          target: open.target.name,
          keys: desired.length,
          ...(input.names ? { only: input.names } : {}),
          ...(input.rollbackOf ? { rollback_of: input.rollbackOf, lost } : {}),
        },
      })
      .returning({ id: deploymentSyncs.id });
    return { open, desired, syncId: sync.id };
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
    const after =
      set.length + deleted.length > 0
        ? await open.driver.apply({
            set: Object.fromEntries(set.map((d) => [d.name, d.value])),
            delete: deleted,
          })
        : before;
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
      await tx
        .update(deploymentSyncs)
        .set({
          syncStatus: status,
          variablesSynced: set.length + deleted.length - failed.length,
          variablesFailed: failed.length,
          completedAt: sql`now()`,
          syncDurationMs: Math.round(performance.now() - started),
          errorLog: failed.length > 0 ? [message] : null,
          syncDetails: sql`${deploymentSyncs.syncDetails} || ${JSON.stringify({
            set: set.map((d) => d.name),
            deleted,
            kept_unmanaged: keptUnmanaged,
            ...(input.names ? {} : { snapshot }),
          })}::jsonb`,
        })
        .where(eq(deploymentSyncs.id, syncId));
      const nowManaged = [...new Set([...managed, ...set.map((d) => d.name)])].filter((n) => !gone.has(n));
      await tx
        .update(syncTargets)
        .set({ managedKeys: nowManaged.sort() })
        .where(eq(syncTargets.id, open.target.id));
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
      await tx
        .update(deploymentSyncs)
        .set({
          syncStatus: "failed",
          completedAt: sql`now()`,
          syncDurationMs: Math.round(performance.now() - started),
          variablesFailed: desired.length,
          errorLog: [message],
        })
        .where(eq(deploymentSyncs.id, syncId));
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
