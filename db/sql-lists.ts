import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * Thousands of ids as one parameter (`= any(…)`), not thousands of placeholders: one string parses and plans
 * in microseconds where an IN list of 10,000 parameters takes tens of milliseconds per query.
 */
export const uuidArray = (ids: string[]): SQL => sql`string_to_array(${ids.join(",")}, ',')::uuid[]`;
export const anyUuid = (ids: string[]): SQL => sql`any(${uuidArray(ids)})`;

/** The same for names that cannot contain a comma (variable names are UPPER_SNAKE_CASE). */
export const anyName = (names: string[]): SQL => sql`any(string_to_array(${names.join(",")}, ','))`;

/**
 * A substring search of variable names, case-insensitive. Names are upper-case ASCII by their CHECK
 * (`^[A-Z][A-Z0-9_]*$`), so LIKE on the query's letters upper-cased finds what ILIKE would, at about a third of
 * the cost per row (no case folding). No index serves either under row-level security (LIKE is not leakproof:
 * the policy's filter runs first), so a search reads the organization's names: docs/scaling.md.
 */
export const nameContains = (column: SQLWrapper, q: string): SQL =>
  sql`${column} like ${`%${q.replace(/[%_\\]/g, "\\$&").replace(/[a-z]/g, (c) => c.toUpperCase())}%`}`;
