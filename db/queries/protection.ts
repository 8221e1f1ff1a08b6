import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { type TenantContext, withContext } from "../context";
import { environments, organizations, protectionBlackouts, protectionWindows } from "../schema";

/** Whether wedding hours hold now, until when, and which environments they lock (the database decides). */
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
