import { type TenantContext, withContext } from "@/db/context";
import { listMembers } from "@/db/repos/access";
import type { Role } from "@/lib/roles";
import { createInvitation } from "@/server/access/invitations";
import { rawSql, type TestOrg, unique } from "./support";

/** Helpers of the invitation tests (creating, listing and accepting invitations). */
export const invite = (ctx: TenantContext, email: string, role: Role = "developer") =>
  withContext(ctx, (tx) => createInvitation(tx, ctx, { email, role }));
export const email = (prefix: string) => `${unique(prefix)}@invited.example`;
export const roleOf = async (o: TestOrg, userId: string) =>
  (await listMembers(o.owner)).find((m) => m.userId === userId)?.role;

/** Whether an account exists for the email (as the superuser: the app role cannot tell). */
export async function accountExists(address: string): Promise<boolean> {
  const [{ n }] = await superQuery<{ n: number }>("select count(*)::int as n from users where email = $1", [
    address,
  ]);
  return n > 0;
}

export async function superQuery<T extends object>(query: string, params: unknown[] = []): Promise<T[]> {
  const s = rawSql("super");
  try {
    return (await s.unsafe(query, params as never[])) as unknown as T[];
  } finally {
    await s.end();
  }
}
