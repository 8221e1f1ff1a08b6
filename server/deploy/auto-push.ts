import { type Database, getDb } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { failPendingSyncRow, queueDueAutoPushes } from "@/db/repos/syncs";

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
    (tx) => queueDueAutoPushes(tx, ctx.organizationId, ctx.userId, RETRY_AFTER),
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
  await withContext(ctx, (tx) => failPendingSyncRow(tx, syncId, message), database);
}
