import { type Database, getDb } from "@/db/client";
import { type RequestContext, withContext } from "@/db/context";
import { targetsDueForScan } from "@/db/repos/targets";
import { recordContact } from "@/server/targets/sync-targets";

/**
 * The organization's active targets due for a scan (`at`: now, or a given time for tests): never scanned, or
 * scanned in a minute at least `scan_interval_minutes` before this one (longest waiting first). Counted in
 * whole minutes because the drift-scan runs once a minute at no fixed second (pg-boss sends a cron occurrence
 * within its 30-second pass): a target scanned 40 s into 10:00 is due again at the 10:01 run, even if that
 * run starts at 10:01:05 — comparing exact times would skip that run and scan every other minute.
 * Read in the organization's context: RLS applies.
 */
export async function dueScanTargets(
  ctx: RequestContext & { organizationId: string },
  database: Database = getDb(),
  at?: Date,
): Promise<string[]> {
  return withContext(ctx, (tx) => targetsDueForScan(tx, ctx.organizationId, at), database);
}

/**
 * A scheduled scan that failed unexpectedly (not a target that could not be reached: the scan records that
 * itself) still counts as a scan, so the target waits its interval instead of being queued every minute; the
 * target's status says so. The details are in the server log.
 */
export async function recordFailedScan(
  ctx: RequestContext & { organizationId: string },
  targetId: string,
  database: Database = getDb(),
) {
  await withContext(
    ctx,
    (tx) =>
      recordContact(tx, targetId, {
        ok: false,
        message: "The scheduled scan failed; the server log has the details",
        scanned: true,
      }),
    database,
  );
}
