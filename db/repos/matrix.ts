import "server-only";
import { and, arrayContains, asc, count, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { byTier } from "@/db/repos/environment-order";
import { environments, environmentVariables, environmentVariableValues } from "@/db/schema";
import { anyUuid, nameContains } from "@/db/sql-lists";
import { type CellState, cellState, type MatrixStatusFilter } from "@/lib/matrix";

export type MatrixQuery = {
  q?: string;
  type?: string;
  classification?: string;
  tag?: string;
  status?: MatrixStatusFilter | null;
  offset: number;
  limit: number;
};

export type MatrixEnvironment = { id: string; name: string; environmentType: string; readable: boolean };
/** A cell's state and version; `warning` when the value passed with a warning (e.g. a test key in production). */
export type MatrixCell = {
  state: CellState;
  version: number;
  warning: boolean;
  /** Older than its variable's rotation interval (migration 0038). */
  rotationDue: boolean;
} | null;
export type MatrixRow = {
  id: string;
  name: string;
  variableType: string;
  securityClassification: string;
  isRequired: boolean;
  isWeddingCritical: boolean;
  tags: string[];
  /** One entry per environment, in column order; null where the caller may not read that environment. */
  cells: MatrixCell[];
};
export type MatrixPage = { environments: MatrixEnvironment[]; total: number; rows: MatrixRow[] };

const v = environmentVariables;

function environmentsIn(tx: Tx, ctx: TenantContext): Promise<MatrixEnvironment[]> {
  return tx
    .select({
      id: environments.id,
      name: environments.name,
      environmentType: environments.environmentType,
      // As a scalar subquery (an InitPlan) it runs once per statement; called bare, once per row (~1 ms each).
      readable: sql<boolean>`${environments.id} = any ((select app_visible_env_ids())::uuid[])`,
    })
    .from(environments)
    .where(and(eq(environments.organizationId, ctx.organizationId), eq(environments.isActive, true)))
    .orderBy(...byTier);
}

/** The environments of the organization in column order, and whether the caller may see their values. */
export async function matrixEnvironments(ctx: TenantContext): Promise<MatrixEnvironment[]> {
  return withContext(ctx, (tx) => environmentsIn(tx, ctx));
}

/**
 * A status filter as SQL, over the environments the caller may read only: RLS hides the value rows of the
 * others, so "missing" there would match every variable. A filter naming an unreadable environment matches
 * nothing (the matrix shows those cells as hidden anyway).
 */
function statusCondition(status: MatrixStatusFilter, all: MatrixEnvironment[]): SQL {
  const envs = all.filter((e) => e.readable);
  const idOf = (name: string) =>
    envs.find((e) => e.name === name)?.id ?? "00000000-0000-0000-0000-000000000000";
  const readable = (name: string) => envs.some((e) => e.name === name);
  const valueIn = (envId: string) =>
    sql`exists (select 1 from environment_variable_values x where x.variable_id = ${v.id} and x.environment_id = ${envId})`;
  switch (status.kind) {
    case "missing":
      if (!readable(status.environment)) return sql`false`;
      return sql`not ${valueIn(idOf(status.environment))}`;
    case "differs":
      if (!status.environments.every(readable)) return sql`false`;
      return sql`exists (select 1 from environment_variable_values x join environment_variable_values y
        on y.variable_id = x.variable_id and y.environment_id = ${idOf(status.environments[1])}
        where x.variable_id = ${v.id} and x.environment_id = ${idOf(status.environments[0])}
          and x.value_hash <> y.value_hash)`;
    case "invalid":
      return sql`exists (select 1 from environment_variable_values x where x.variable_id = ${v.id} and x.validation_status = 'failed')`;
    case "required_missing": {
      const ids = envs.map((e) => e.id);
      if (ids.length === 0) return sql`false`;
      return sql`${v.isRequired} and (select count(*) from environment_variable_values x
        where x.variable_id = ${v.id} and x.environment_id in ${ids}) < ${ids.length}`;
    }
  }
}

/**
 * One page of the matrix: live variables (filtered by name substring, type, classification, tag and
 * status) × active environments. Cell states come from hashes and metadata; nothing is decrypted.
 */
export async function matrixPage(ctx: TenantContext, query: MatrixQuery): Promise<MatrixPage> {
  return withContext(ctx, async (tx) => {
    const envs = await environmentsIn(tx, ctx);
    const where: SQL[] = [eq(v.organizationId, ctx.organizationId), isNull(v.deletedAt)];
    if (query.q) where.push(nameContains(v.name, query.q));
    if (query.type) where.push(eq(v.variableType, query.type));
    if (query.classification) where.push(eq(v.securityClassification, query.classification));
    if (query.tag) where.push(arrayContains(v.tags, [query.tag]));
    if (query.status) where.push(statusCondition(query.status, envs));
    const [{ total }] = await tx
      .select({ total: count() })
      .from(v)
      .where(and(...where));
    const variables = await tx
      .select({
        id: v.id,
        name: v.name,
        variableType: v.variableType,
        securityClassification: v.securityClassification,
        isRequired: v.isRequired,
        isWeddingCritical: v.isWeddingCritical,
        tags: v.tags,
      })
      .from(v)
      .where(and(...where))
      .orderBy(asc(v.name))
      .offset(query.offset)
      .limit(query.limit);
    const values =
      variables.length === 0
        ? []
        : await tx
            .select({
              variableId: environmentVariableValues.variableId,
              environmentId: environmentVariableValues.environmentId,
              version: environmentVariableValues.version,
              valueHash: environmentVariableValues.valueHash,
              validationStatus: environmentVariableValues.validationStatus,
              expiresAt: environmentVariableValues.expiresAt,
              // The one rule of when a credential is due (migration 0042).
              rotationDue: sql<boolean>`coalesce(credential_due_at(${environmentVariableValues.lastRotatedAt},
                ${environmentVariableValues.createdAt}, ${v.rotationIntervalDays}) <= now(), false)`,
            })
            .from(environmentVariableValues)
            .innerJoin(v, eq(v.id, environmentVariableValues.variableId))
            // Both sides named: left to the join, the variables side is hashed whole (100,000 rows in a
            // large organization) to find the page's 100.
            .where(
              and(
                sql`${environmentVariableValues.variableId} = ${anyUuid(variables.map((x) => x.id))}`,
                sql`${v.id} = ${anyUuid(variables.map((x) => x.id))}`,
              ),
            );
    const byKey = new Map(values.map((x) => [`${x.variableId}:${x.environmentId}`, x]));
    const now = new Date();
    const rows = variables.map((variable) => {
      let neighbour: (typeof values)[number] | null = null;
      const cells = envs.map((env): MatrixCell => {
        const value = byKey.get(`${variable.id}:${env.id}`) ?? null;
        const cell = env.readable
          ? {
              state: cellState(value, neighbour, now),
              version: value?.version ?? 0,
              warning: value?.validationStatus === "warning",
              rotationDue: value?.rotationDue ?? false,
            }
          : null;
        if (env.readable) neighbour = value;
        return cell;
      });
      return { ...variable, cells };
    });
    return { environments: envs, total, rows };
  });
}
