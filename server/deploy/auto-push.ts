import { and, eq, sql } from "drizzle-orm";
import { type Database, getDb } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { deploymentSyncs } from "@/db/schema";

type JobCtx = RequestContext & { organizationId: string; userId: string };

/** After a failed automatic push, the next waits this long, so a target that is down is not hammered. */
const RETRY_AFTER = "5 minutes";

/**
 * Queues a `pending` automated sync for each of the organization's targets that pushes on its own and is due:
 * active, its environment not locked for wedding hours, no push running, no automatic push failed in the
 * last five minutes, and a value of the environment set or deleted (or a variable with a value there
 * deleted) after the last completed full push started. A rollback therefore holds until the next change.
 * The pending row is the queue's claim: the unique index lets one exist per target. Returns what to run.
 */
export async function queueAutoPushes(ctx: JobCtx, database: Database = getDb()) {
  return withContext(
    ctx,
    (tx) =>
      tx.execute<{ id: string; target_id: string }>(sql`
        with due as (
          select t.id, t.environment_id
            from sync_targets t
           where t.organization_id = ${ctx.organizationId} and t.is_active and t.auto_push
             and not app_env_locked(t.environment_id)
             and not exists (select 1 from deployment_syncs s where s.target_id = t.id
                               and (s.sync_status in ('pending', 'in_progress')
                                    or (s.sync_status = 'failed' and s.sync_type = 'automated'
                                        and s.started_at > now() - ${RETRY_AFTER}::interval)))
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
        select ${ctx.organizationId}, due.environment_id, due.id, 'automated', 'pending', ${ctx.userId},
               '{"queued": "the environment changed since the last push"}'::jsonb
          from due
        on conflict do nothing
        returning id, target_id`),
    database,
  ).then((rows) => rows.map((r) => ({ syncId: r.id, targetId: r.target_id })));
}

/** A queued automatic push that could not start (wedding hours began, access changed, …) is failed with why. */
export async function failPendingSync(
  ctx: JobCtx,
  syncId: string,
  message: string,
  database: Database = getDb(),
) {
  await withContext(
    ctx,
    (tx) =>
      tx
        .update(deploymentSyncs)
        .set({ syncStatus: "failed", completedAt: sql`now()`, errorLog: [message] })
        .where(and(eq(deploymentSyncs.id, syncId), eq(deploymentSyncs.syncStatus, "pending"))),
    database,
  );
}
