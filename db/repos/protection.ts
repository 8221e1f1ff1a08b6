import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environments, organizations, protectionBlackouts, protectionWindows } from "@/db/schema";

/**
 * When the next lock starts after `at`: the next start of a weekly window (this week's or next week's, placed
 * in the organization's zone, so summer time is right) or of a blackout. The console schedules a refresh
 * for it, as for the lock's end (components/console/lock-clock.tsx).
 */
export async function nextLockStart(tx: Tx, organizationId: string, at: Date): Promise<Date | null> {
  const [row] = await tx.execute<{ starts: string | null }>(sql`
    select min(s) as starts from (
      select starts_at as s from protection_blackouts
       where organization_id = ${organizationId} and starts_at > ${at.toISOString()}::timestamptz
      union all
      select (date_trunc('week', ${at.toISOString()}::timestamptz at time zone o.time_zone)
              + w.k * interval '7 days' + make_interval(days => pw.start_day - 1) + pw.start_time)
             at time zone o.time_zone
        from protection_windows pw
        join organizations o on o.id = pw.organization_id
        cross join (values (0), (1)) as w(k)
       where pw.organization_id = ${organizationId}
    ) starts where s > ${at.toISOString()}::timestamptz`);
  return row?.starts ? new Date(row.starts) : null;
}

/**
 * Whether wedding hours hold now, until when, which environments they lock, and when the next lock starts
 * (the database decides).
 */
export async function lockStatus(ctx: TenantContext) {
  return withContext(ctx, async (tx) => {
    const [row] = await tx.execute<{ until: string | null; time_zone: string }>(
      sql`select wedding_lock_until(${ctx.organizationId}) as until, time_zone from organizations where id = ${ctx.organizationId}`,
    );
    const locked = row?.until
      ? await tx
          .select({ name: environments.name })
          .from(environments)
          .where(
            sql`${environments.organizationId} = ${ctx.organizationId} and ${environments.weddingDayProtection}`,
          )
          .orderBy(asc(environments.name))
      : [];
    return {
      until: row?.until ? new Date(row.until) : null,
      timeZone: row?.time_zone ?? "UTC",
      lockedEnvironments: locked.map((e) => e.name),
      nextStart: await nextLockStart(tx, ctx.organizationId, new Date()),
    };
  });
}

export async function protectionSettings(ctx: TenantContext) {
  return withContext(ctx, async (tx) => {
    const [org] = await tx
      .select({ timeZone: organizations.timeZone })
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId));
    const windows = await tx
      .select({
        id: protectionWindows.id,
        label: protectionWindows.label,
        startDay: protectionWindows.startDay,
        startTime: protectionWindows.startTime,
        endDay: protectionWindows.endDay,
        endTime: protectionWindows.endTime,
      })
      .from(protectionWindows)
      .where(eq(protectionWindows.organizationId, ctx.organizationId))
      .orderBy(asc(protectionWindows.startDay), asc(protectionWindows.startTime));
    const blackouts = await tx
      .select({
        id: protectionBlackouts.id,
        reason: protectionBlackouts.reason,
        startsAt: protectionBlackouts.startsAt,
        endsAt: protectionBlackouts.endsAt,
      })
      .from(protectionBlackouts)
      .where(
        sql`${protectionBlackouts.organizationId} = ${ctx.organizationId} and ${protectionBlackouts.endsAt} > now()`,
      )
      .orderBy(asc(protectionBlackouts.startsAt));
    return { timeZone: org?.timeZone ?? "UTC", windows, blackouts };
  });
}
