import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { byTier } from "@/db/repos/environment-order";
import { environments, syncTargets } from "@/db/schema";

/** An organization's environments inside the caller's transaction (RLS applies). */

/** The settings a console user edits. */
export type EnvironmentColumns = {
  name: string;
  displayName: string;
  description: string | null;
  environmentType: string;
  weddingDayProtection: boolean;
  deploymentBranch: string | null;
  deploymentUrl: string | null;
};

/** Inserts the organization's first environments. */
export async function insertEnvironments(
  tx: Tx,
  organizationId: string,
  rows: readonly Pick<
    EnvironmentColumns,
    "name" | "displayName" | "environmentType" | "weddingDayProtection"
  >[],
) {
  await tx.insert(environments).values(rows.map((e) => ({ ...e, organizationId })));
}

/** Inserts an environment unless one of that name exists: its id, or null. */
export async function insertEnvironmentUnlessNameTaken(
  tx: Tx,
  organizationId: string,
  values: EnvironmentColumns,
) {
  const [row] = await tx
    .insert(environments)
    .values({ ...values, organizationId })
    .onConflictDoNothing()
    .returning({ id: environments.id });
  return row ?? null;
}

/** Every column of one environment of the organization, or null. */
export async function environmentRow(tx: Tx, organizationId: string, id: string) {
  const [current] = await tx
    .select()
    .from(environments)
    .where(and(eq(environments.id, id), eq(environments.organizationId, organizationId)));
  return current ?? null;
}

/**
 * Updates an environment's settings if it is still at `expectedVersion`: its id, or null. A name another
 * environment has rejects with the driver's unique violation (23505).
 */
export async function updateEnvironmentRow(
  tx: Tx,
  id: string,
  expectedVersion: number,
  values: EnvironmentColumns,
) {
  const [row] = await tx
    .update(environments)
    .set({ ...values, version: sql`${environments.version} + 1`, updatedAt: new Date() })
    .where(and(eq(environments.id, id), eq(environments.version, expectedVersion)))
    .returning({ id: environments.id });
  return row ?? null;
}

/** How many sync targets an environment has. */
export async function syncTargetCount(tx: Tx, environmentId: string) {
  const rows = await tx
    .select({ id: syncTargets.id })
    .from(syncTargets)
    .where(eq(syncTargets.environmentId, environmentId));
  return rows.length;
}

/** The organization's environments' names and types, in no particular order. */
export async function environmentNamesAndTypes(tx: Tx, organizationId: string) {
  return tx
    .select({ name: environments.name, type: environments.environmentType })
    .from(environments)
    .where(eq(environments.organizationId, organizationId));
}

/** The organization's environments in promotion order: id, name and type. */
export async function organizationEnvironments(tx: Tx, organizationId: string) {
  return tx
    .select({ id: environments.id, name: environments.name, type: environments.environmentType })
    .from(environments)
    .where(eq(environments.organizationId, organizationId))
    .orderBy(...byTier);
}

/** The organization's environments' ids by name. */
export async function environmentIdsByName(tx: Tx, organizationId: string) {
  const envs = await tx
    .select({ id: environments.id, name: environments.name })
    .from(environments)
    .where(eq(environments.organizationId, organizationId));
  return Object.fromEntries(envs.map((e) => [e.name, e.id]));
}
