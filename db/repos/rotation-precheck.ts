import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { precheckWindow } from "./integration-precheck";

export type DueCredential = { variable: string; environment: string; dueAt: string };

/**
 * Credentials due for rotation before the coming wedding hours end (issue 16): from 48 hours before a window
 * opens until it ends, the values of protected environments whose variable's interval runs out by the window's
 * end — they cannot be changed during it without break-glass. Names and dates only (RLS: what the caller may
 * see of value rows).
 */
export async function rotationPrecheck(tx: Tx, organizationId: string, now: Date, hours = 48) {
  const window = await precheckWindow(tx, organizationId, now, hours);
  if (!window) return null;
  const rows = await tx.execute<{ variable: string; environment: string; due_at: string }>(sql`
    select ev.name as variable, e.name as environment,
           credential_due_at(evv.last_rotated_at, evv.created_at, ev.rotation_interval_days) as due_at
      from environment_variable_values evv
      join environment_variables ev on ev.id = evv.variable_id
      join environments e on e.id = evv.environment_id
     where evv.organization_id = ${organizationId} and e.wedding_day_protection and ev.deleted_at is null
       and credential_due_at(evv.last_rotated_at, evv.created_at, ev.rotation_interval_days)
           < ${window.endsAt.toISOString()}::timestamptz
     order by 3, 2, 1
     limit 100`);
  return {
    ...window,
    items: rows.map(
      (r): DueCredential => ({ variable: r.variable, environment: r.environment, dueAt: r.due_at }),
    ),
  };
}
