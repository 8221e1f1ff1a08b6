import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { deploymentSyncs } from "@/db/schema";

/** Reads and writes of `deployment_syncs`: pushes queued, running and done (server/deploy decides when). */

export type NewSync = typeof deploymentSyncs.$inferInsert;

/** Fails the target's pushes still pending or running that started more than `after` (an interval) ago. */
export async function failSyncsStartedBefore(tx: Tx, targetId: string, after: string, message: string) {
  await tx
    .update(deploymentSyncs)
    .set({ syncStatus: "failed", completedAt: sql`now()`, errorLog: [message] })
    .where(
      and(
        eq(deploymentSyncs.targetId, targetId),
        inArray(deploymentSyncs.syncStatus, ["pending", "in_progress"]),
        lt(deploymentSyncs.startedAt, sql`now() - ${after}::interval`),
      ),
    );
}

/** Starts a `pending` sync of this target (now `in_progress`, with these details); nothing if there is none. */
export async function takePendingSync(
  tx: Tx,
  pendingId: string,
  targetId: string,
  syncDetails: NewSync["syncDetails"],
) {
  const [taken] = await tx
    .update(deploymentSyncs)
    .set({ syncStatus: "in_progress", startedAt: sql`now()`, syncDetails })
    .where(
      and(
        eq(deploymentSyncs.id, pendingId),
        eq(deploymentSyncs.targetId, targetId),
        eq(deploymentSyncs.syncStatus, "pending"),
      ),
    )
    .returning({ id: deploymentSyncs.id });
  return taken;
}

/** Inserts a sync; nothing when the target already has one running (partial unique index). */
export async function insertSync(tx: Tx, row: NewSync) {
  const [sync] = await tx
    .insert(deploymentSyncs)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: deploymentSyncs.id });
  return sync;
}

/** Merges these keys into the sync's details (jsonb `||`). */
export async function mergeSyncDetails(tx: Tx, syncId: string, details: Record<string, unknown>) {
  await tx
    .update(deploymentSyncs)
    .set({ syncDetails: sql`${deploymentSyncs.syncDetails} || ${JSON.stringify(details)}::jsonb` })
    .where(eq(deploymentSyncs.id, syncId));
}

/** Records how a push ended: its status and counts, completed now; `details` (if any) merged into its details. */
export async function finishSync(
  tx: Tx,
  syncId: string,
  outcome: {
    syncStatus: "completed" | "failed";
    variablesSynced?: number;
    variablesFailed: number;
    syncDurationMs: number;
    errorLog: string[] | null;
    details?: Record<string, unknown>;
  },
) {
  const { details, ...columns } = outcome;
  await tx
    .update(deploymentSyncs)
    .set({
      ...columns,
      completedAt: sql`now()`,
      ...(details
        ? { syncDetails: sql`${deploymentSyncs.syncDetails} || ${JSON.stringify(details)}::jsonb` }
        : {}),
    })
    .where(eq(deploymentSyncs.id, syncId));
}

/** A sync of this target: its status and details (null when there is none). */
export async function syncOfTarget(tx: Tx, syncId: string, targetId: string) {
  const [sync] = await tx
    .select({ details: deploymentSyncs.syncDetails, status: deploymentSyncs.syncStatus })
    .from(deploymentSyncs)
    .where(and(eq(deploymentSyncs.id, syncId), eq(deploymentSyncs.targetId, targetId)));
  return sync;
}

/** Fails a sync that is still `pending`, with why. */
export async function failPendingSyncRow(tx: Tx, syncId: string, message: string) {
  await tx
    .update(deploymentSyncs)
    .set({ syncStatus: "failed", completedAt: sql`now()`, errorLog: [message] })
    .where(and(eq(deploymentSyncs.id, syncId), eq(deploymentSyncs.syncStatus, "pending")));
}

/**
 * Inserts a `pending` automated sync, started by `userId`, for each of the organization's targets that
 * pushes on its own and is due: active, its environment not locked, no push pending or running, no
 * automatic push failed within `retryAfter` (an interval), and a value of the environment set or deleted
 * (or a variable with a value there deleted) after the last completed full push started. The unique index
 * lets one pending row exist per target. Returns the rows inserted.
 */
export async function queueDueAutoPushes(tx: Tx, organizationId: string, userId: string, retryAfter: string) {
  return tx.execute<{ id: string; target_id: string }>(sql`
        with due as (
          select t.id, t.environment_id
            from sync_targets t
           where t.organization_id = ${organizationId} and t.is_active and t.auto_push
             and not app_env_locked(t.environment_id)
             and not exists (select 1 from deployment_syncs s where s.target_id = t.id
                               and (s.sync_status in ('pending', 'in_progress')
                                    or (s.sync_status = 'failed' and s.sync_type = 'automated'
                                        and s.started_at > now() - ${retryAfter}::interval)))
             and greatest(
                   (select max(vv.created_at) from value_versions vv where vv.environment_id = t.environment_id),
                   (select max(v.deleted_at) from environment_variables v
                      join environment_variable_values evv
                        on evv.variable_id = v.id and evv.environment_id = t.environment_id
                     where v.organization_id = t.organization_id and v.deleted_at is not null)
                 ) > coalesce((select max(s.started_at) from deployment_syncs s
                                where s.target_id = t.id and s.sync_status = 'completed'
                                  and not s.sync_details ? 'only'), '-infinity')
        )
        insert into deployment_syncs (organization_id, environment_id, target_id, sync_type, sync_status,
                                      started_by, sync_details)
        select ${organizationId}, due.environment_id, due.id, 'automated', 'pending', ${userId},
               '{"queued": "the environment changed since the last push"}'::jsonb
          from due
        on conflict do nothing
        returning id, target_id`);
}
