import { and, asc, eq, getTableColumns, isNotNull, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { destinations, environments } from "@/db/schema";
import { byTier } from "./environment-order";

/** Reads and writes of `destinations` (server/destinations decides what they mean). */

export type DestinationRow = typeof destinations.$inferSelect;
export type DestinationChanges = Partial<typeof destinations.$inferInsert>;

/** The organization's destinations, live or deleted, with their environment's name, by environment and type. */
export async function destinationList(tx: Tx, organizationId: string, deleted: boolean) {
  return tx
    .select({
      ...getTableColumns(destinations),
      environment: environments.name,
      environmentType: environments.environmentType,
    })
    .from(destinations)
    .innerJoin(environments, eq(environments.id, destinations.environmentId))
    .where(
      and(
        eq(destinations.organizationId, organizationId),
        deleted ? isNotNull(destinations.deletedAt) : isNull(destinations.deletedAt),
      ),
    )
    .orderBy(...byTier, asc(destinations.type));
}

/** The destination with that id in the organization (live or deleted), if there is one. */
export async function destinationById(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<DestinationRow | undefined> {
  const [row] = await tx
    .select()
    .from(destinations)
    .where(and(eq(destinations.id, id), eq(destinations.organizationId, organizationId)));
  return row;
}

/** The live destination of this type in the environment, if there is one. */
export async function liveDestination(tx: Tx, organizationId: string, type: string, environmentId: string) {
  const [row] = await tx
    .select({ id: destinations.id, name: destinations.name })
    .from(destinations)
    .where(
      and(
        eq(destinations.organizationId, organizationId),
        eq(destinations.type, type),
        eq(destinations.environmentId, environmentId),
        isNull(destinations.deletedAt),
      ),
    );
  return row;
}

/** Inserts a destination; nothing when a live one of its type is in the environment (the unique index). */
export async function insertDestination(tx: Tx, values: typeof destinations.$inferInsert) {
  const [row] = await tx
    .insert(destinations)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: destinations.id, version: destinations.version });
  return row;
}

/** Writes changes if the destination is still at `version`, moving its version; nothing when it moved. */
export async function updateDestinationAtVersion(
  tx: Tx,
  id: string,
  version: number,
  changes: DestinationChanges,
) {
  const [row] = await tx
    .update(destinations)
    .set({ ...changes, version: sql`${destinations.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(destinations.id, id), eq(destinations.version, version)))
    .returning({ version: destinations.version });
  return row;
}

/** Stores a connection test's outcome (not a configuration change: its version stays). */
export async function markConnection(
  tx: Tx,
  id: string,
  outcome: { status: "connected" | "failed" | "testing"; error: string | null },
) {
  await tx
    .update(destinations)
    .set({
      connectionStatus: outcome.status,
      lastError: outcome.error,
      ...(outcome.status === "testing" ? {} : { lastTestedAt: sql`now()` }),
    })
    .where(eq(destinations.id, id));
}

/** The enabled live destinations of an environment (the runtime API filters them by consent). */
export async function enabledDestinations(tx: Tx, environmentId: string) {
  return tx
    .select()
    .from(destinations)
    .where(
      and(
        eq(destinations.environmentId, environmentId),
        eq(destinations.enabled, true),
        isNull(destinations.deletedAt),
      ),
    )
    .orderBy(asc(destinations.type));
}
