import type postgres from "postgres";
import { BackupError } from "./manifest";

/** What a backup copies: every table of the public schema but the migration ledger (its tags are in the manifest). */
export type CopiedTable = { name: string; columns: string[]; orderBy: string[] };

type Sql = postgres.Sql | postgres.TransactionSql;

/** Settings that make COPY text the same on every server and session (dates, floats, bytes, intervals). */
export const STABLE_OUTPUT = `set local timezone = 'UTC'; set local datestyle = 'ISO, YMD';
  set local intervalstyle = 'postgres'; set local extra_float_digits = 3; set local bytea_output = 'hex'`;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables in an order where each comes after every table its foreign keys point to. */
export async function copiedTables(sql: Sql): Promise<CopiedTable[]> {
  const tables = await sql<{ name: string; columns: string[]; pk: string[] | null }[]>`
    select c.relname as name,
           array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                  order by a.attnum) as columns,
           (select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
                           join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.n)
              from pg_index i where i.indrelid = c.oid and i.indisprimary) as pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
       and c.relname <> 'ringbearer_migrations'
     order by c.relname`;
  const edges = await sql<{ child: string; parent: string }[]>`
    select distinct c.relname as child, p.relname as parent
      from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_class p on p.oid = f.confrelid
      join pg_namespace n on n.oid = c.relnamespace
     where f.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid and f.conparentid = 0`;
  const selfReferencing = await sql<{ name: string }[]>`
    select distinct c.relname as name from pg_constraint f join pg_class c on c.oid = f.conrelid
      join pg_namespace n on n.oid = c.relnamespace
     where f.contype = 'f' and n.nspname = 'public' and f.conrelid = f.confrelid`;
  if (selfReferencing.length > 0) {
    throw new BackupError(
      `tables with a foreign key to themselves cannot be restored in key order: ${selfReferencing.map((t) => t.name).join(", ")}`,
    );
  }
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: CopiedTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t.name) && [...(parents.get(t.name) ?? [])].every((p) => placed.has(p)),
    );
    if (ready.length === 0) {
      const left = tables.filter((t) => !placed.has(t.name)).map((t) => t.name);
      throw new BackupError(`foreign keys form a cycle between: ${left.join(", ")}`);
    }
    for (const t of ready) {
      placed.add(t.name);
      ordered.push({ name: t.name, columns: t.columns, orderBy: t.pk?.length ? t.pk : t.columns });
    }
  }
  return ordered;
}

/** `COPY (select … order by key) TO STDOUT`: the same rows always give the same text. */
export const copyOutStatement = (t: Pick<CopiedTable, "name" | "columns" | "orderBy">) =>
  `copy (select ${t.columns.map(quoteIdent).join(", ")} from ${quoteIdent(t.name)} order by ${t.orderBy
    .map(quoteIdent)
    .join(", ")}) to stdout`;

/** Tables whose rows the connected role would not all see (RLS forced, no owner read policy, no bypass). */
export async function hiddenTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relrowsecurity
       and (c.relforcerowsecurity or c.relowner <> (select oid from pg_roles where rolname = current_user))
       and not (select rolsuper or rolbypassrls from pg_roles where rolname = current_user)
       and not exists (select 1 from pg_policy p where p.polrelid = c.oid
                        and p.polname = c.relname || '_owner_backup_read'
                        and (select oid from pg_roles where rolname = current_user) = any (p.polroles))
     order by 1`;
  return rows.map((r) => r.name);
}
