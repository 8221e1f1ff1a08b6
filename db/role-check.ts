import postgres from "postgres";

/**
 * The app must connect as a role that RLS binds: not superuser, no BYPASSRLS, owning no table.
 * Returns the problems found (empty when safe).
 */
export async function appRoleProblems(databaseUrl: string): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [role] = await sql<{ name: string; rolsuper: boolean; rolbypassrls: boolean; owned: number }[]>`
      select r.rolname as name, r.rolsuper, r.rolbypassrls,
             (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'public' and c.relkind in ('r', 'p') and pg_has_role(current_user, c.relowner, 'USAGE')) as owned
        from pg_roles r where r.rolname = current_user`;
    const problems: string[] = [];
    if (role.rolsuper) problems.push(`database role "${role.name}" is a superuser`);
    if (role.rolbypassrls) problems.push(`database role "${role.name}" has BYPASSRLS`);
    if (role.owned > 0)
      problems.push(
        `database role "${role.name}" owns ${role.owned} table(s) (use DATABASE_OWNER_URL for migrations)`,
      );
    return problems;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
