import "server-only";
import { and, arrayContains, asc, desc, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import {
  environments,
  environmentVariables,
  environmentVariableValues,
  users,
  valueVersions,
  variableValidations,
} from "@/db/schema";
import { nameContains } from "@/db/sql-lists";

export type VariableFilters = { q?: string; type?: string; classification?: string; tag?: string };

const variableColumns = {
  id: environmentVariables.id,
  name: environmentVariables.name,
  displayName: environmentVariables.displayName,
  description: environmentVariables.description,
  variableType: environmentVariables.variableType,
  securityClassification: environmentVariables.securityClassification,
  isRequired: environmentVariables.isRequired,
  isWeddingCritical: environmentVariables.isWeddingCritical,
  validationPattern: environmentVariables.validationPattern,
  rotationIntervalDays: environmentVariables.rotationIntervalDays,
  tags: environmentVariables.tags,
  version: environmentVariables.version,
  updatedAt: environmentVariables.updatedAt,
};

/** How many rows of the variables list one page shows. */
export const VARIABLES_PAGE = 100;

function variableWhere(ctx: TenantContext, filters: VariableFilters): SQL[] {
  const where: SQL[] = [
    eq(environmentVariables.organizationId, ctx.organizationId),
    isNull(environmentVariables.deletedAt),
  ];
  if (filters.q) where.push(nameContains(environmentVariables.name, filters.q));
  if (filters.type) where.push(eq(environmentVariables.variableType, filters.type));
  if (filters.classification)
    where.push(eq(environmentVariables.securityClassification, filters.classification));
  if (filters.tag) where.push(arrayContains(environmentVariables.tags, [filters.tag]));
  return where;
}

/** How many live variables match the filters (the list pages through them). */
export async function countVariables(ctx: TenantContext, filters: VariableFilters): Promise<number> {
  const [row] = await withContext(ctx, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(environmentVariables)
      .where(and(...variableWhere(ctx, filters))),
  );
  return row?.n ?? 0;
}

/**
 * One page of live variables (by name) with the environments where each has a value (from metadata; nothing
 * decrypted), and those the caller may not see into (`hiddenIn`), where "not set" would be a guess.
 */
export async function listVariables(
  ctx: TenantContext,
  filters: VariableFilters,
  window: { offset: number; limit: number } = { offset: 0, limit: VARIABLES_PAGE },
) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        ...variableColumns,
        // Qualified by hand: inside the subquery an interpolated column would render as a bare "id" (v.id).
        setIn: sql<
          string[]
        >`coalesce((select array_agg(v.environment_id::text) from ${environmentVariableValues} v
          where v.variable_id = environment_variables.id), '{}')`,
        // Environments whose values the caller may not see (RLS hides their rows): neither set nor missing
        // to them. Uncorrelated, so computed once per statement.
        hiddenIn: sql<string[]>`coalesce((select array_agg(e.id::text) from environments e
          where e.organization_id = ${ctx.organizationId}
            and not (e.id = any ((select app_visible_env_ids())::uuid[]))), '{}')`,
      })
      .from(environmentVariables)
      .where(and(...variableWhere(ctx, filters)))
      // Names are unique among live variables; the id keeps pages stable all the same.
      .orderBy(asc(environmentVariables.name), asc(environmentVariables.id))
      .limit(window.limit)
      .offset(window.offset),
  );
}

export async function listDeletedVariables(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: environmentVariables.id,
        name: environmentVariables.name,
        deletedAt: environmentVariables.deletedAt,
      })
      .from(environmentVariables)
      .where(
        and(
          eq(environmentVariables.organizationId, ctx.organizationId),
          isNotNull(environmentVariables.deletedAt),
          isNull(environmentVariables.purgedAt),
        ),
      )
      .orderBy(desc(environmentVariables.deletedAt)),
  );
}

/** One variable with, per environment, its value's metadata (version, short hash, who and when). */
export async function variableDetail(ctx: TenantContext, id: string) {
  return withContext(ctx, async (tx) => {
    const [variable] = await tx
      .select(variableColumns)
      .from(environmentVariables)
      .where(
        and(
          eq(environmentVariables.id, id),
          eq(environmentVariables.organizationId, ctx.organizationId),
          isNull(environmentVariables.deletedAt),
        ),
      );
    if (!variable) return null;
    const values = await tx
      .select({
        environmentId: environmentVariableValues.environmentId,
        version: environmentVariableValues.version,
        valueHash: environmentVariableValues.valueHash,
        updatedAt: environmentVariableValues.updatedAt,
        updatedBy: users.name,
      })
      .from(environmentVariableValues)
      .leftJoin(users, eq(users.id, environmentVariableValues.updatedBy))
      .where(eq(environmentVariableValues.variableId, id));
    const history = await tx
      .select({
        environmentId: valueVersions.environmentId,
        version: valueVersions.version,
        operation: valueVersions.operation,
        valueHash: valueVersions.valueHash,
        note: valueVersions.note,
        createdAt: valueVersions.createdAt,
        createdBy: users.name,
      })
      .from(valueVersions)
      .leftJoin(users, eq(users.id, valueVersions.createdBy))
      .where(eq(valueVersions.variableId, id))
      .orderBy(desc(valueVersions.createdAt))
      .limit(50);
    const checks = await tx
      .select({
        environmentId: variableValidations.environmentId,
        type: variableValidations.validationType,
        status: variableValidations.validationStatus,
        message: variableValidations.errorMessage,
      })
      .from(variableValidations)
      .where(
        and(eq(variableValidations.variableId, id), sql`${variableValidations.validationStatus} <> 'passed'`),
      );
    return { variable, values, history, checks };
  });
}

export async function listEnvironments(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: environments.id,
        name: environments.name,
        displayName: environments.displayName,
        description: environments.description,
        environmentType: environments.environmentType,
        isActive: environments.isActive,
        isProduction: environments.isProduction,
        weddingDayProtection: environments.weddingDayProtection,
        deploymentBranch: environments.deploymentBranch,
        deploymentUrl: environments.deploymentUrl,
        version: environments.version,
        locked: sql<boolean>`app_env_locked(${environments.id})`,
        /** The caller holds a live break-glass session for it (writes allowed despite the lock). */
        emergency: sql<boolean>`app_emergency_ok(${environments.id})`,
      })
      .from(environments)
      .where(eq(environments.organizationId, ctx.organizationId))
      .orderBy(...byTier),
  );
}

/**
 * Each environment's value version for one variable, also where the caller cannot read the value (then
 * without its hash): the page shows that a value is set, and a proposal states the version it changes.
 */
export async function valueHeads(ctx: TenantContext, variableId: string, environmentIds: string[]) {
  return withContext(ctx, async (tx) => {
    const out: Record<string, { version: number; valueHash: string | null; updatedAt: Date }> = {};
    for (const env of environmentIds) {
      const [row] = await tx.execute<{ version: number; value_hash: string | null; updated_at: string }>(
        sql`select version, value_hash, updated_at from app_value_heads(${env}, array[${variableId}]::uuid[])`,
      );
      if (row)
        out[env] = { version: row.version, valueHash: row.value_hash, updatedAt: new Date(row.updated_at) };
    }
    return out;
  });
}
