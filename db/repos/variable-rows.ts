import { and, arrayContains, asc, eq, gt, isNotNull, isNull, like, type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { environments, environmentVariables, environmentVariableValues } from "@/db/schema";
import { anyName, anyUuid } from "@/db/sql-lists";

/**
 * The rows of environment_variables that the variable and value services read and write in their transaction
 * (the paged list of the console is db/repos/variables.ts).
 */

export type VariableRow = typeof environmentVariables.$inferSelect;

/** The metadata a person edits. */
export type VariableColumns = Pick<
  typeof environmentVariables.$inferInsert,
  | "name"
  | "displayName"
  | "description"
  | "variableType"
  | "securityClassification"
  | "isRequired"
  | "isWeddingCritical"
  | "validationPattern"
  | "tags"
  | "rotationIntervalDays"
>;

/** The organization's live (not deleted) variables that also meet `condition`: the one lookup of live rows. */
function liveVariables(tx: Tx, organizationId: string, condition: SQL) {
  return tx
    .select()
    .from(environmentVariables)
    .where(
      and(
        eq(environmentVariables.organizationId, organizationId),
        isNull(environmentVariables.deletedAt),
        condition,
      ),
    );
}

/** A live variable of the organization, or undefined. */
export async function liveVariableRow(tx: Tx, organizationId: string, id: string) {
  const [row] = await liveVariables(tx, organizationId, eq(environmentVariables.id, id));
  return row;
}

/** The live variable of that name, or undefined (names are unique among live variables). */
export async function liveVariableNamed(tx: Tx, organizationId: string, name: string) {
  const [row] = await liveVariables(tx, organizationId, eq(environmentVariables.name, name));
  return row;
}

/** The organization's live variables with these names. */
export function liveVariablesNamed(tx: Tx, organizationId: string, names: string[]) {
  return liveVariables(tx, organizationId, sql`${environmentVariables.name} = ${anyName(names)}`);
}

/** The organization's live variables with these ids. */
export function liveVariablesWithIds(tx: Tx, organizationId: string, ids: string[]) {
  return liveVariables(tx, organizationId, sql`${environmentVariables.id} = ${anyUuid(ids)}`);
}

/** A soft-deleted, not yet purged variable of the organization, or undefined. */
export async function deletedVariableRow(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .select({
      id: environmentVariables.id,
      name: environmentVariables.name,
      securityClassification: environmentVariables.securityClassification,
      isWeddingCritical: environmentVariables.isWeddingCritical,
    })
    .from(environmentVariables)
    .where(
      and(
        eq(environmentVariables.id, id),
        eq(environmentVariables.organizationId, organizationId),
        isNotNull(environmentVariables.deletedAt),
        isNull(environmentVariables.purgedAt),
      ),
    );
  return row;
}

/** Inserts one variable; returns its id and version. */
export async function insertVariable(
  tx: Tx,
  values: VariableColumns & { organizationId: string; createdBy: string; updatedBy: string },
) {
  const [row] = await tx
    .insert(environmentVariables)
    .values(values)
    .returning({ id: environmentVariables.id, version: environmentVariables.version });
  return row;
}

/** Inserts variables (an import's new keys); returns the rows. */
export async function insertVariables(tx: Tx, values: (typeof environmentVariables.$inferInsert)[]) {
  return tx.insert(environmentVariables).values(values).returning();
}

/** Updates a variable's metadata if still at `expectedVersion` (the version moves on); undefined if not. */
export async function updateVariableAt(
  tx: Tx,
  id: string,
  expectedVersion: number,
  columns: VariableColumns,
  userId: string,
) {
  const [row] = await tx
    .update(environmentVariables)
    .set({
      ...columns,
      version: sql`${environmentVariables.version} + 1`,
      updatedBy: userId,
      updatedAt: new Date(),
    })
    .where(and(eq(environmentVariables.id, id), eq(environmentVariables.version, expectedVersion)))
    .returning({ id: environmentVariables.id, version: environmentVariables.version });
  return row;
}

/** Soft-deletes a variable if still at `expectedVersion`; undefined if not. */
export async function softDeleteVariableAt(tx: Tx, id: string, expectedVersion: number, userId: string) {
  const [row] = await tx
    .update(environmentVariables)
    .set({ deletedAt: new Date(), deletedBy: userId, version: sql`${environmentVariables.version} + 1` })
    .where(and(eq(environmentVariables.id, id), eq(environmentVariables.version, expectedVersion)))
    .returning({ id: environmentVariables.id });
  return row;
}

/** Brings a soft-deleted variable back; undefined if it is not deleted. */
export async function undeleteVariable(tx: Tx, id: string) {
  const [row] = await tx
    .update(environmentVariables)
    .set({ deletedAt: null, deletedBy: null, version: sql`${environmentVariables.version} + 1` })
    .where(and(eq(environmentVariables.id, id), isNotNull(environmentVariables.deletedAt)))
    .returning({ id: environmentVariables.id });
  return row;
}

/** The organization's environments: name and type. */
export async function environmentNamesAndTypes(tx: Tx, organizationId: string) {
  return tx
    .select({ name: environments.name, environmentType: environments.environmentType })
    .from(environments)
    .where(eq(environments.organizationId, organizationId));
}

/** The environments where the variable has a value (`app_value_heads`, also those the caller cannot read). */
export async function environmentsWithValueOf(tx: Tx, variableId: string) {
  return tx.execute<{ name: string; environment_type: string }>(sql`
    select e.name, e.environment_type from environments e, lateral app_value_heads(e.id, array[${variableId}]::uuid[]) h
     where e.organization_id = (select organization_id from environment_variables where id = ${variableId})`);
}

/** Purges the current organization's variables deleted more than 90 days ago; returns how many. */
export async function purgeDeletedVariables(tx: Tx): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`select purge_deleted_variables() as n`);
  return Number(row.n);
}

/**
 * One page of live variables by name, after `after` (or the one of that `name`), within a name prefix and a tag when given: their metadata and
 * the version of their value in each environment (by environment id) whose values RLS lets the caller see.
 */
export async function variablePage(
  tx: Tx,
  organizationId: string,
  page: {
    after?: string | null;
    name?: string;
    limit: number;
    namePrefix?: string | null;
    tag?: string | null;
  },
) {
  return tx
    .select({
      id: environmentVariables.id,
      name: environmentVariables.name,
      displayName: environmentVariables.displayName,
      description: environmentVariables.description,
      variableType: environmentVariables.variableType,
      securityClassification: environmentVariables.securityClassification,
      isRequired: environmentVariables.isRequired,
      isWeddingCritical: environmentVariables.isWeddingCritical,
      tags: environmentVariables.tags,
      version: environmentVariables.version,
      // Qualified by hand: inside the subquery an interpolated column would render as a bare "id".
      versions: sql<Record<string, number>>`coalesce((select jsonb_object_agg(v.environment_id, v.version)
        from ${environmentVariableValues} v where v.variable_id = environment_variables.id), '{}'::jsonb)`,
    })
    .from(environmentVariables)
    .where(
      and(
        eq(environmentVariables.organizationId, organizationId),
        isNull(environmentVariables.deletedAt),
        page.after ? gt(environmentVariables.name, page.after) : undefined,
        page.name ? eq(environmentVariables.name, page.name) : undefined,
        page.namePrefix
          ? like(environmentVariables.name, `${page.namePrefix.replace(/[%_\\]/g, "\\$&")}%`)
          : undefined,
        page.tag ? arrayContains(environmentVariables.tags, [page.tag]) : undefined,
      ),
    )
    .orderBy(asc(environmentVariables.name))
    .limit(page.limit);
}
