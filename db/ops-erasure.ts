import type postgres from "postgres";

/**
 * Erasing a person on an owner connection (`npm run ops:erase`, migration 0052): the installation's way for a
 * request that reaches the operator rather than the person's own "Erase my account". Logged in the operations log
 * under the person's id, never their address.
 */
const ACTOR = "npm run ops:erase";

export type EraseOutcome =
  | { status: "erased"; userId: string; erased: Record<string, number> }
  | { status: "no_user" };

export async function eraseUserByEmail(sql: postgres.Sql, email: string): Promise<EraseOutcome> {
  return sql.begin(async (tx) => {
    const [user] = await tx<{ id: string }[]>`select id from users where lower(email) = lower(${email})
                                               and erased_at is null`;
    if (!user) return { status: "no_user" } as const;
    const [row] = await tx<{ erased: Record<string, number> }[]>`select erase_user(${user.id}) as erased`;
    await tx`insert into ops_events (actor, action, subject, details)
             values (${ACTOR}, 'user.erase', ${user.id}, ${tx.json(row.erased)})`;
    return { status: "erased", userId: user.id, erased: row.erased } as const;
  }) as Promise<EraseOutcome>;
}
