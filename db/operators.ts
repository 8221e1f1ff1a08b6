import type postgres from "postgres";

/**
 * Installation operators, granted and revoked on an owner connection (`npm run ops:grant`, migration 0044: only
 * the owner, logged in itself, writes them). Each change is written to the operations log in the same
 * transaction.
 */
export type OperatorRow = { email: string; grantedAt: Date; grantedBy: string };

const ACTOR = "npm run ops:grant";

export async function grantOperator(
  sql: postgres.Sql,
  email: string,
): Promise<"granted" | "already" | "no_user"> {
  return sql.begin(async (tx) => {
    const [user] = await tx<{ id: string }[]>`select id from users where lower(email) = lower(${email})`;
    if (!user) return "no_user";
    const added =
      await tx`insert into installation_operators (user_id, granted_by) values (${user.id}, ${ACTOR})
                           on conflict (user_id) do nothing returning user_id`;
    if (added.length === 0) return "already";
    await tx`insert into ops_events (actor, action, subject) values (${ACTOR}, 'operator.grant', ${email.toLowerCase()})`;
    return "granted";
  }) as Promise<"granted" | "already" | "no_user">;
}

export async function revokeOperator(sql: postgres.Sql, email: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const gone = await tx`delete from installation_operators o using users u
                           where u.id = o.user_id and lower(u.email) = lower(${email}) returning o.user_id`;
    if (gone.length > 0)
      await tx`insert into ops_events (actor, action, subject) values (${ACTOR}, 'operator.revoke', ${email.toLowerCase()})`;
    return gone.length > 0;
  }) as Promise<boolean>;
}

export async function listOperators(sql: postgres.Sql): Promise<OperatorRow[]> {
  return sql<OperatorRow[]>`select u.email, o.granted_at as "grantedAt", o.granted_by as "grantedBy"
                              from installation_operators o join users u on u.id = o.user_id order by u.email`;
}
