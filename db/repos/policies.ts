import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { variableAccessPolicies } from "@/db/schema";

/** Access grants beyond the role baseline, inside the caller's transaction (the reads are in access.ts). */

export type PolicyValues = {
  organizationId: string;
  userId: string | null;
  role: string | null;
  permissionLevel: string;
  variableId: string | null;
  tag: string | null;
  environmentRestrictions: string[] | null;
  /** The grant's last day (YYYY-MM-DD): it ends when that day ends in the organization's time zone. */
  lastDay: string | null;
  timeRestrictions: unknown;
  emergencyOverride: boolean;
  grantedBy: string;
};

/** Inserts a grant: its id. */
export async function insertPolicy(tx: Tx, values: PolicyValues) {
  const { lastDay, ...rest } = values;
  const [row] = await tx
    .insert(variableAccessPolicies)
    .values({
      ...rest,
      expiresAt: lastDay
        ? sql`((${lastDay}::date + 1)::timestamp at time zone (select time_zone from organizations where id = ${values.organizationId}))`
        : null,
    })
    .returning({ id: variableAccessPolicies.id });
  return row.id;
}

/** Marks a live grant inactive if it is still at `version`: its id and permission, or null. */
export async function deactivatePolicy(tx: Tx, organizationId: string, id: string, version: number) {
  const [row] = await tx
    .update(variableAccessPolicies)
    .set({ isActive: false, version: sql`${variableAccessPolicies.version} + 1` })
    .where(
      and(
        eq(variableAccessPolicies.id, id),
        eq(variableAccessPolicies.organizationId, organizationId),
        eq(variableAccessPolicies.version, version),
        eq(variableAccessPolicies.isActive, true),
      ),
    )
    .returning({ id: variableAccessPolicies.id, permission: variableAccessPolicies.permissionLevel });
  return row ?? null;
}
