import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { protectionBlackouts, protectionWindows } from "@/db/schema";

/**
 * Wedding hours inside the caller's transaction: weekly windows (in the organization's time zone), one-off
 * blackouts (absolute instants) and whether a lock is in force (the database's own functions decide).
 */

export type ProtectionKind = "window" | "blackout";

export type WindowValues = {
  organizationId: string;
  label: string | null;
  startDay: number;
  startTime: string;
  endDay: number;
  endTime: string;
  createdBy: string;
};

const tableOf = (kind: ProtectionKind) => (kind === "window" ? protectionWindows : protectionBlackouts);

/** When the organization's current wedding-hours lock ends (null when none is in force), and its time zone. */
export async function currentWeddingLock(tx: Tx, organizationId: string) {
  const [row] = await tx.execute<{ until: string | null; tz: string }>(sql`
    select wedding_lock_until(${organizationId}::uuid, now()) as until,
           (select time_zone from organizations where id = ${organizationId}) as tz`);
  return row;
}

export async function insertWindow(tx: Tx, values: WindowValues) {
  await tx.insert(protectionWindows).values(values);
}

export async function insertWindowReturningId(tx: Tx, values: WindowValues) {
  const [row] = await tx.insert(protectionWindows).values(values).returning({ id: protectionWindows.id });
  return row;
}

/** A blackout whose instants are local times in the organization's time zone: its id. */
export async function insertBlackout(
  tx: Tx,
  values: { organizationId: string; startsAt: string; endsAt: string; reason: string; createdBy: string },
) {
  const [row] = await tx
    .insert(protectionBlackouts)
    .values({
      organizationId: values.organizationId,
      startsAt: sql`(${values.startsAt}::timestamp at time zone (select time_zone from organizations where id = ${values.organizationId}))`,
      endsAt: sql`(${values.endsAt}::timestamp at time zone (select time_zone from organizations where id = ${values.organizationId}))`,
      reason: values.reason,
      createdBy: values.createdBy,
    })
    .returning({ id: protectionBlackouts.id });
  return row;
}

/**
 * Until when a weekly window or blackout of the organization is itself in force now (null when it is not),
 * with the organization's time zone; null when there is no such row.
 */
export async function protectionInForceUntil(
  tx: Tx,
  organizationId: string,
  kind: ProtectionKind,
  id: string,
) {
  const [row] = await tx.execute<{ until: string | null; tz: string }>(
    kind === "window"
      ? sql`select window_lock_until(w, now()) as until, o.time_zone as tz
              from protection_windows w join organizations o on o.id = w.organization_id
             where w.id = ${id} and w.organization_id = ${organizationId}`
      : sql`select case when b.starts_at <= now() and b.ends_at > now() then b.ends_at end as until, o.time_zone as tz
              from protection_blackouts b join organizations o on o.id = b.organization_id
             where b.id = ${id} and b.organization_id = ${organizationId}`,
  );
  return row ?? null;
}

/** Whether the organization has this weekly window or blackout. */
export async function protectionExists(tx: Tx, organizationId: string, kind: ProtectionKind, id: string) {
  const table = tableOf(kind);
  const [current] = await tx
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, id), eq(table.organizationId, organizationId)));
  return Boolean(current);
}

/** Deletes a weekly window or blackout of the organization: its id, or null. */
export async function deleteProtection(tx: Tx, organizationId: string, kind: ProtectionKind, id: string) {
  const table = tableOf(kind);
  const [row] = await tx
    .delete(table)
    .where(and(eq(table.id, id), eq(table.organizationId, organizationId)))
    .returning({ id: table.id });
  return row ?? null;
}

export async function windowById(tx: Tx, id: string) {
  const [w] = await tx.select().from(protectionWindows).where(eq(protectionWindows.id, id));
  return w ?? null;
}

export async function blackoutById(tx: Tx, id: string) {
  const [b] = await tx.select().from(protectionBlackouts).where(eq(protectionBlackouts.id, id));
  return b ?? null;
}
