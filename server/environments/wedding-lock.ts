import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { currentWeddingLock } from "@/db/repos/settings";
import { AppError } from "@/lib/errors";
import { formatInZone } from "@/lib/format";

/** The refusal while wedding hours are in force: what cannot happen, and until when (in the organization's zone). */
export function lockedUntil(what: string, until: Date, timeZone: string): AppError {
  return new AppError(
    "locked:wedding_hours",
    { form: [`${what} while wedding hours are in force, until ${formatInZone(until, timeZone)}.`] },
    { until: until.toISOString() },
  );
}

/** When the organization's current wedding-hours lock ends (null when none is in force), and its time zone. */
async function weddingLockNow(tx: Tx, organizationId: string) {
  const row = await currentWeddingLock(tx, organizationId);
  return { until: row.until ? new Date(row.until) : null, timeZone: row.tz ?? "UTC" };
}

/** Refuses early, with until when, what the database refuses anyway while any window is in force. */
export async function refuseDuringWeddingHours(tx: Tx, ctx: TenantContext, what: string) {
  const { until, timeZone } = await weddingLockNow(tx, ctx.organizationId);
  if (until) throw lockedUntil(what, until, timeZone);
}
