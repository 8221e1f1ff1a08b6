import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environments, environmentVariables, environmentVariableValues } from "@/db/schema";

/** What a drift scan reads besides the target: other environments and their metadata (never values). */

/** The organization's production-tier environments (production and disaster recovery). */
export async function productionTierEnvironments(tx: Tx, organizationId: string) {
  return tx
    .select({ id: environments.id, name: environments.name, environmentType: environments.environmentType })
    .from(environments)
    .where(
      and(
        eq(environments.organizationId, organizationId),
        sql`${environments.environmentType} in ('production', 'disaster_recovery')`,
      ),
    );
}

/** The organization's first environment of that type by name, if any. */
export async function firstEnvironmentOfType(tx: Tx, organizationId: string, environmentType: string) {
  const [env] = await tx
    .select({ id: environments.id, name: environments.name })
    .from(environments)
    .where(
      and(eq(environments.organizationId, organizationId), eq(environments.environmentType, environmentType)),
    )
    .orderBy(asc(environments.name))
    .limit(1);
  return env;
}

/**
 * Ids of the organization's variables that have a value in the environment, from the value heads (metadata
 * only, visible to a caller who cannot read the environment's values).
 */
export async function variablesSetIn(tx: Tx, organizationId: string, environmentId: string) {
  const rows = await tx.execute<{
    variable_id: string;
  }>(sql`select variable_id from app_value_heads(${environmentId},
        array(select id from environment_variables where organization_id = ${organizationId}))`);
  return rows.map((r) => r.variable_id);
}

/** The organization's live required variables that have a value in the environment (metadata only). */
export async function requiredVariablesSetIn(tx: Tx, organizationId: string, environmentId: string) {
  return tx
    .select({
      variableId: environmentVariables.id,
      name: environmentVariables.name,
      classification: environmentVariables.securityClassification,
      weddingCritical: environmentVariables.isWeddingCritical,
      required: environmentVariables.isRequired,
    })
    .from(environmentVariables)
    .innerJoin(
      environmentVariableValues,
      and(
        eq(environmentVariableValues.variableId, environmentVariables.id),
        eq(environmentVariableValues.environmentId, environmentId),
      ),
    )
    .where(
      and(
        eq(environmentVariables.organizationId, organizationId),
        isNull(environmentVariables.deletedAt),
        eq(environmentVariables.isRequired, true),
      ),
    );
}
