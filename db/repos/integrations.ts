import { and, asc, eq, getTableColumns, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environments, integrationConfigs } from "@/db/schema";
import { byTier } from "./environment-order";

/** Reads and writes of `integration_configs` (server/integrations decides what they mean). */

export type IntegrationRow = typeof integrationConfigs.$inferSelect;
export type IntegrationChanges = Partial<typeof integrationConfigs.$inferInsert>;

/** The organization's configs, live or deleted, with their environment, by environment, platform and kind. */
export async function integrationList(tx: Tx, organizationId: string, deleted: boolean) {
  return tx
    .select({
      ...getTableColumns(integrationConfigs),
      environment: environments.name,
      environmentType: environments.environmentType,
    })
    .from(integrationConfigs)
    .innerJoin(environments, eq(environments.id, integrationConfigs.environmentId))
    .where(
      and(
        eq(integrationConfigs.organizationId, organizationId),
        deleted ? isNotNull(integrationConfigs.deletedAt) : isNull(integrationConfigs.deletedAt),
      ),
    )
    .orderBy(...byTier, asc(integrationConfigs.platform), asc(integrationConfigs.configType));
}

/** The config with that id in the organization (live or deleted), if there is one. */
export async function integrationById(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<IntegrationRow | undefined> {
  const [row] = await tx
    .select()
    .from(integrationConfigs)
    .where(and(eq(integrationConfigs.id, id), eq(integrationConfigs.organizationId, organizationId)));
  return row;
}

/** A live config of the platform in the environment: of this kind, or (kind omitted) the primary one. */
export async function liveIntegration(
  tx: Tx,
  organizationId: string,
  where: { platform: string; environmentId: string; configType?: string; exceptId?: string },
) {
  const [row] = await tx
    .select({ id: integrationConfigs.id, name: integrationConfigs.name })
    .from(integrationConfigs)
    .where(
      and(
        eq(integrationConfigs.organizationId, organizationId),
        eq(integrationConfigs.platform, where.platform),
        eq(integrationConfigs.environmentId, where.environmentId),
        where.configType
          ? eq(integrationConfigs.configType, where.configType)
          : eq(integrationConfigs.isPrimary, true),
        where.exceptId ? ne(integrationConfigs.id, where.exceptId) : undefined,
        isNull(integrationConfigs.deletedAt),
      ),
    );
  return row;
}

/** Inserts a config; nothing when a live one of its kind (or a second primary) is in the environment. */
export async function insertIntegration(tx: Tx, values: typeof integrationConfigs.$inferInsert) {
  const [row] = await tx
    .insert(integrationConfigs)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: integrationConfigs.id, version: integrationConfigs.version });
  return row;
}

/** Writes changes if the config is still at `version`, moving its version; nothing when it moved. */
export async function updateIntegrationAtVersion(
  tx: Tx,
  id: string,
  version: number,
  changes: IntegrationChanges,
) {
  const [row] = await tx
    .update(integrationConfigs)
    .set({ ...changes, version: sql`${integrationConfigs.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(integrationConfigs.id, id), eq(integrationConfigs.version, version)))
    .returning({ version: integrationConfigs.version });
  return row;
}
