import type { z } from "zod";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { organizationTimeZone, updateOrganizationTimeZone } from "@/db/repos/organizations";
import {
  blackoutById,
  deleteProtection,
  insertBlackout,
  insertWindowReturningId,
  protectionExists,
  protectionInForceUntil,
  windowById,
} from "@/db/repos/settings";
import { AppError } from "@/lib/errors";
import { describeWindow } from "@/lib/format";
import { riskOf } from "@/lib/risk";
import type { blackoutInput, weeklyWindowInput } from "@/lib/validation/settings";
import {
  type Approval,
  approvedBy,
  approvedChange,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { lockedUntil, refuseDuringWeddingHours } from "@/server/environments/wedding-lock";
import type { ConsoleChange } from "@/server/variables/variables";

/**
 * Changes the organization's time zone. It places every weekly window, so it is refused while wedding hours
 * are in force (here and by the database) and is otherwise a HIGH change that waits for a reviewer.
 */
export async function setTimeZone(
  tx: Tx,
  ctx: TenantContext,
  input: { timeZone: string; reason?: string },
  options: { approval?: Approval } = {},
): Promise<ConsoleChange<{ timeZone: string }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "settings:time_zone", ctx.organizationId);
  if (!approved) requireCapability(ctx, "settings:manage");
  const org = await organizationTimeZone(tx, ctx.organizationId);
  if (!org) throw new AppError("not_found");
  if (org.timeZone === input.timeZone) return { status: "applied", timeZone: org.timeZone };
  await refuseDuringWeddingHours(tx, ctx, "The time zone cannot change");
  const risk = riskOf({ action: "settings:time_zone", from: org.timeZone, to: input.timeZone });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "settings:time_zone",
      payload: { timeZone: input.timeZone },
      summary: `Time zone ${org.timeZone} → ${input.timeZone}`,
      risk,
      reason: input.reason,
      resourceId: ctx.organizationId,
    });
  await updateOrganizationTimeZone(tx, ctx.organizationId, input.timeZone);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "settings",
    riskLevel: risk.level,
    details: { time_zone: { from: org.timeZone, to: input.timeZone }, ...approvedBy(options.approval) },
  });
  return { status: "applied", timeZone: input.timeZone };
}

export async function addWindow(tx: Tx, ctx: TenantContext, input: z.infer<typeof weeklyWindowInput>) {
  requireCapability(ctx, "settings:manage");
  const row = await insertWindowReturningId(tx, {
    organizationId: ctx.organizationId,
    label: input.label ?? null,
    startDay: input.startDay,
    startTime: input.startTime,
    endDay: input.endDay,
    endTime: input.endTime === "24:00" ? "24:00:00" : input.endTime,
    createdBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "settings",
    resourceId: row.id,
    details: { protection_window: input },
  });
  return row;
}

/** Refuses early, with until when, removing a window or blackout that is itself in force (the database does too). */
async function refuseWhileInForce(
  tx: Tx,
  ctx: TenantContext,
  input: { kind: "window" | "blackout"; id: string },
) {
  const row = await protectionInForceUntil(tx, ctx.organizationId, input.kind, input.id);
  if (!row) throw new AppError("not_found");
  if (row.until)
    throw lockedUntil(
      `This ${input.kind === "window" ? "weekly window" : "blackout"} cannot be changed or removed`,
      new Date(row.until),
      row.tz,
    );
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
  const approved = await approvedChange(tx, ctx, options.approval, "protection:remove", input.id);
  if (!approved) requireCapability(ctx, "settings:manage");
  await refuseWhileInForce(tx, ctx, input);
  if (!(await protectionExists(tx, ctx.organizationId, input.kind, input.id)))
    throw new AppError("not_found");
  const risk = riskOf({ action: "protection:change", loosens: true });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "protection:remove",
      payload: input,
      summary: `Remove a wedding-hours ${input.kind === "window" ? "weekly window" : "blackout"}: ${await describeProtection(tx, input)}`,
      risk,
      reason: options.reason,
      resourceId: input.id,
    });
  const row = await deleteProtection(tx, ctx.organizationId, input.kind, input.id);
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
    const w = await windowById(tx, input.id);
    return w ? `${w.label ? `${w.label}, ` : ""}${describeWindow(w)}` : input.id;
  }
  const b = await blackoutById(tx, input.id);
  return b ? `${b.reason} (${b.startsAt.toISOString()} → ${b.endsAt.toISOString()})` : input.id;
}

/** Blackout instants are entered in the organization's time zone and stored as absolute times. */
export async function addBlackout(tx: Tx, ctx: TenantContext, input: z.infer<typeof blackoutInput>) {
  requireCapability(ctx, "settings:manage");
  const row = await insertBlackout(tx, {
    organizationId: ctx.organizationId,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    reason: input.reason,
    createdBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "settings",
    resourceId: row.id,
    details: { blackout: input },
  });
  return row;
}
