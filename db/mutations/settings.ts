import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeWindow } from "@/lib/format";
import { riskOf } from "@/lib/risk";
import type { blackoutInput, weeklyWindowInput } from "@/lib/validation/settings";
import { requireCapability } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { organizations, protectionBlackouts, protectionWindows } from "../schema";
import { writeAudit } from "./audit";
import { type Approval, approvedBy, deferChange, mustWait } from "./change-request-open";
import type { ConsoleChange } from "./variables";

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

/** Refuses early, with the clear error, what the database refuses anyway while a window is in force. */
async function assertNoWeddingHours(tx: Tx, ctx: TenantContext) {
  const [row] = await tx.execute<{ locked: boolean }>(
    sql`select is_wedding_hours(${ctx.organizationId}::uuid, now()) as locked`,
  );
  if (row.locked) throw new AppError("locked:wedding_hours");
}

/**
 * Removes a weekly window or a one-off blackout. That loosens wedding hours (HIGH): it waits for a reviewer,
 * and while a window is in force it is refused outright (here and by the database).
 */
export async function removeProtection(
  tx: Tx,
  ctx: TenantContext,
  input: { kind: "window" | "blackout"; id: string },
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  if (!options.approval) requireCapability(ctx, "settings:manage");
  await assertNoWeddingHours(tx, ctx);
  const table = input.kind === "window" ? protectionWindows : protectionBlackouts;
  const [current] = await tx
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, input.id), eq(table.organizationId, ctx.organizationId)));
  if (!current) throw new AppError("not_found");
  const risk = riskOf({ action: "protection:change", loosens: true });
  if (mustWait(risk, options.approval))
    return deferChange(tx, ctx, {
      action: "protection:remove",
      payload: input,
      summary: `Remove a wedding-hours ${input.kind === "window" ? "weekly window" : "blackout"}: ${await describeProtection(tx, input)}`,
      risk,
      reason: options.reason,
    });
  const [row] = await tx
    .delete(table)
    .where(and(eq(table.id, input.id), eq(table.organizationId, ctx.organizationId)))
    .returning({ id: table.id });
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "settings",
    resourceId: input.id,
    riskLevel: risk.level,
    details: {
      [input.kind === "window" ? "protection_window" : "blackout"]: input.id,
      ...approvedBy(options.approval),
    },
  });
  return { status: "applied", id: row.id };
}

async function describeProtection(tx: Tx, input: { kind: "window" | "blackout"; id: string }) {
  if (input.kind === "window") {
    const [w] = await tx.select().from(protectionWindows).where(eq(protectionWindows.id, input.id));
    return w ? `${w.label ? `${w.label}, ` : ""}${describeWindow(w)}` : input.id;
  }
  const [b] = await tx.select().from(protectionBlackouts).where(eq(protectionBlackouts.id, input.id));
  return b ? `${b.reason} (${b.startsAt.toISOString()} → ${b.endsAt.toISOString()})` : input.id;
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
