import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { configurationDrift } from "@/db/schema";

/**
 * Writes of `configuration_drift`: findings of a scan stored under their scope (keys starting with
 * `prefix:`), drift closed by a person or because its target was deactivated. server/drift decides which.
 */

export type DriftRecord = typeof configurationDrift.$inferSelect;

/** One finding as stored (snake_case: it travels as jsonb into `jsonb_to_recordset`). */
export type FindingRow = {
  drift_key: string;
  drift_type: string;
  variable_name: string;
  variable_id: string | null;
  drift_severity: string;
  expected_value_hash: string | null;
  actual_value_hash: string | null;
  details: unknown;
};

/** Findings as rows `r` of a FROM clause. */
const recordset = (rows: FindingRow[]) =>
  sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(drift_key text, drift_type text,
    variable_name text, variable_id uuid, drift_severity text, expected_value_hash text,
    actual_value_hash text, details jsonb)`;

/** Ends the scope's dismissals that none of `found` matches exactly (same key and both hashes). */
export async function endUnmatchedDismissals(
  tx: Tx,
  organizationId: string,
  prefix: string,
  found: FindingRow[],
) {
  await tx.execute(sql`
    update configuration_drift d set dismissal_ended_at = now()
     where d.organization_id = ${organizationId} and d.resolution = 'dismissed'
       and d.dismissal_ended_at is null and d.drift_key like ${`${prefix}:%`}
       and not exists (select 1 from ${recordset(found)} where r.drift_key = d.drift_key
                          and r.expected_value_hash is not distinct from d.expected_value_hash
                          and r.actual_value_hash is not distinct from d.actual_value_hash)`);
}

/** Moves the last-seen time of the scope's dismissals still holding under one of these keys; their keys. */
export async function touchHeldDismissals(
  tx: Tx,
  organizationId: string,
  prefix: string,
  found: FindingRow[],
) {
  const rows = await tx.execute<{ drift_key: string }>(sql`
        update configuration_drift d set last_seen_at = now()
         where d.organization_id = ${organizationId} and d.resolution = 'dismissed'
           and d.dismissal_ended_at is null and d.drift_key like ${`${prefix}:%`}
           and d.drift_key in (select r.drift_key from ${recordset(found)})
        returning d.drift_key`);
  return rows.map((r) => r.drift_key);
}

/**
 * Inserts each finding as open drift, or refreshes the open drift of that key (last seen, severity, hashes,
 * details); whether each row was inserted (true) or refreshed (false).
 */
export async function upsertFindings(
  tx: Tx,
  scope: { organizationId: string; environmentId: string; targetId: string | null },
  rows: FindingRow[],
) {
  const upserted = await tx.execute<{ inserted: boolean }>(sql`
        insert into configuration_drift (organization_id, environment_id, target_id, drift_key, drift_type,
          variable_name, variable_id, drift_severity, expected_value_hash, actual_value_hash, details)
        select ${scope.organizationId}, ${scope.environmentId}, ${scope.targetId}, r.drift_key, r.drift_type,
               r.variable_name, r.variable_id, r.drift_severity, r.expected_value_hash, r.actual_value_hash, r.details
          from ${recordset(rows)}
        on conflict (organization_id, drift_key) where resolved_at is null do update
           set last_seen_at = now(), drift_severity = excluded.drift_severity,
               expected_value_hash = excluded.expected_value_hash, actual_value_hash = excluded.actual_value_hash,
               details = excluded.details
        returning (xmax = 0) as inserted`);
  return upserted.map((r) => r.inserted);
}

/** Resolves (`auto`, with a dated note) the scope's open drift whose key is not among `seen`; how many. */
export async function resolveUnseen(tx: Tx, organizationId: string, prefix: string, seen: string[]) {
  const resolved = await tx.execute(sql`
    update configuration_drift
       set resolved_at = now(), resolution = 'auto',
           resolution_notes = 'No longer seen by the scan at ' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
     where organization_id = ${organizationId} and resolved_at is null
       and drift_key like ${`${prefix}:%`}
       and drift_key not in (select jsonb_array_elements_text(${JSON.stringify(seen)}::jsonb))
    returning id`);
  return resolved.length;
}

/** The drift with that id in the organization (open or resolved), if there is one. */
export async function driftById(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<DriftRecord | undefined> {
  const [row] = await tx
    .select()
    .from(configurationDrift)
    .where(and(eq(configurationDrift.id, id), eq(configurationDrift.organizationId, organizationId)));
  return row;
}

/** Resolves the drift if it is still open (who, how and why); nothing when it was resolved meanwhile. */
export async function markDriftResolved(
  tx: Tx,
  id: string,
  resolution: { resolution: string; resolvedBy: string; resolutionNotes: string },
) {
  const [row] = await tx
    .update(configurationDrift)
    .set({ resolvedAt: sql`now()`, ...resolution })
    .where(and(eq(configurationDrift.id, id), isNull(configurationDrift.resolvedAt)))
    .returning({ id: configurationDrift.id });
  return row;
}

/** Resolves (`auto`, by `resolvedBy`, with the note) the target's open drift; how many. */
export async function resolveTargetDrift(
  tx: Tx,
  organizationId: string,
  targetId: string,
  resolvedBy: string,
  notes: string,
) {
  const resolved = await tx
    .update(configurationDrift)
    .set({ resolvedAt: sql`now()`, resolution: "auto", resolvedBy, resolutionNotes: notes })
    .where(
      and(
        eq(configurationDrift.targetId, targetId),
        eq(configurationDrift.organizationId, organizationId),
        isNull(configurationDrift.resolvedAt),
      ),
    )
    .returning({ id: configurationDrift.id });
  return resolved.length;
}

/** Merges these keys into the drift's details (jsonb `||`). */
export async function mergeDriftDetails(tx: Tx, id: string, details: Record<string, unknown>) {
  await tx
    .update(configurationDrift)
    .set({ details: sql`${configurationDrift.details} || ${JSON.stringify(details)}::jsonb` })
    .where(eq(configurationDrift.id, id));
}
