import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { syncTargets } from "@/db/schema";

/** Reads and writes of `sync_targets` (the services in server/targets decide what they mean). */

export type TargetRow = typeof syncTargets.$inferSelect;
export type TargetChanges = Partial<typeof syncTargets.$inferInsert>;

/** The target with that id in the organization, if there is one. */
export async function targetById(tx: Tx, organizationId: string, id: string): Promise<TargetRow | undefined> {
  const [target] = await tx
    .select()
    .from(syncTargets)
    .where(and(eq(syncTargets.id, id), eq(syncTargets.organizationId, organizationId)));
  return target;
}

/** Inserts a target; nothing when the environment already has one by that name (or the id is taken). */
export async function insertTarget(tx: Tx, values: typeof syncTargets.$inferInsert) {
  const [row] = await tx
    .insert(syncTargets)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: syncTargets.id });
  return row;
}

/**
 * Writes changes if the target is still at `version`, moving its version and updated time; nothing when it
 * moved meanwhile. A unique violation (another target by that name) is thrown as the driver reports it.
 */
export async function updateTargetAtVersion(tx: Tx, id: string, version: number, changes: TargetChanges) {
  const [row] = await tx
    .update(syncTargets)
    .set({ ...changes, version: sql`${syncTargets.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(syncTargets.id, id), eq(syncTargets.version, version)))
    .returning({ version: syncTargets.version });
  return row;
}

/** Stores how the last contact went (`scanned`: it was a scan, so the last scan time moves too). */
export async function markContact(
  tx: Tx,
  targetId: string,
  contact: { status: "passed" | "failed"; message: string; scanned: boolean },
) {
  await tx
    .update(syncTargets)
    .set({
      lastTestAt: sql`now()`,
      lastTestStatus: contact.status,
      lastTestMessage: contact.message,
      ...(contact.scanned ? { lastScanAt: sql`now()` } : {}),
    })
    .where(eq(syncTargets.id, targetId));
}

/** Replaces the keys the console manages on the target. */
export async function setManagedKeys(tx: Tx, targetId: string, managedKeys: string[]) {
  await tx.update(syncTargets).set({ managedKeys }).where(eq(syncTargets.id, targetId));
}

/**
 * Ids of the organization's active targets never scanned, or last scanned in a minute at least their
 * `scan_interval_minutes` before the minute of `at` (now when not given); longest waiting first.
 */
export async function targetsDueForScan(tx: Tx, organizationId: string, at?: Date): Promise<string[]> {
  const now = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
  const rows = await tx
    .select({ id: syncTargets.id })
    .from(syncTargets)
    .where(
      and(
        eq(syncTargets.organizationId, organizationId),
        eq(syncTargets.isActive, true),
        or(
          isNull(syncTargets.lastScanAt),
          lte(
            sql`date_trunc('minute', ${syncTargets.lastScanAt})`,
            sql`date_trunc('minute', ${now}) - make_interval(mins => ${syncTargets.scanIntervalMinutes})`,
          ),
        ),
      ),
    )
    .orderBy(sql`${syncTargets.lastScanAt} asc nulls first`, asc(syncTargets.id));
  return rows.map((r) => r.id);
}
