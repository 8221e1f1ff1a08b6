import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import type { blackoutInput, weeklyWindowInput } from "@/lib/validation/settings";
import { requireCapability } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { organizations, protectionBlackouts, protectionWindows } from "../schema";
import { writeAudit } from "./audit";

export async function setTimeZone(tx: Tx, ctx: TenantContext, timeZone: string) {
  requireCapability(ctx, "settings:manage");
  await tx
    .update(organizations)
    .set({ timeZone, version: sql`${organizations.version} + 1`, updatedAt: new Date() })
    .where(eq(organizations.id, ctx.organizationId));
  await writeAudit(tx, ctx, { action: "update", resourceType: "settings", details: { time_zone: timeZone } });
}

export async function addWindow(tx: Tx, ctx: TenantContext, input: z.infer<typeof weeklyWindowInput>) {
  requireCapability(ctx, "settings:manage");
  const [row] = await tx
    .insert(protectionWindows)
    .values({
      organizationId: ctx.organizationId,
      label: input.label ?? null,
      startDay: input.startDay,
      startTime: input.startTime,
      endDay: input.endDay,
      endTime: input.endTime === "24:00" ? "24:00:00" : input.endTime,
      createdBy: ctx.userId,
    })
    .returning({ id: protectionWindows.id });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "settings",
    resourceId: row.id,
    details: { protection_window: input },
  });
  return row;
}

export async function removeWindow(tx: Tx, ctx: TenantContext, id: string) {
  requireCapability(ctx, "settings:manage");
  const [row] = await tx
    .delete(protectionWindows)
    .where(and(eq(protectionWindows.id, id), eq(protectionWindows.organizationId, ctx.organizationId)))
    .returning({ id: protectionWindows.id });
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "settings",
    resourceId: id,
    details: { protection_window: id },
  });
}

/** Blackout instants are entered in the organization's time zone and stored as absolute times. */
export async function addBlackout(tx: Tx, ctx: TenantContext, input: z.infer<typeof blackoutInput>) {
  requireCapability(ctx, "settings:manage");
  const [row] = await tx
    .insert(protectionBlackouts)
    .values({
      organizationId: ctx.organizationId,
      startsAt: sql`(${input.startsAt}::timestamp at time zone (select time_zone from organizations where id = ${ctx.organizationId}))`,
      endsAt: sql`(${input.endsAt}::timestamp at time zone (select time_zone from organizations where id = ${ctx.organizationId}))`,
      reason: input.reason,
      createdBy: ctx.userId,
    })
    .returning({ id: protectionBlackouts.id });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "settings",
    resourceId: row.id,
    details: { blackout: input },
  });
  return row;
}

export async function removeBlackout(tx: Tx, ctx: TenantContext, id: string) {
  requireCapability(ctx, "settings:manage");
  const [row] = await tx
    .delete(protectionBlackouts)
    .where(and(eq(protectionBlackouts.id, id), eq(protectionBlackouts.organizationId, ctx.organizationId)))
    .returning({ id: protectionBlackouts.id });
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "settings",
    resourceId: id,
    details: { blackout: id },
  });
}
