import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../client";
import { withContext } from "../context";
import { memberships, users } from "../schema";

/**
 * The purge job: for every organization, destroys the encrypted values and history of variables soft-deleted
 * more than 90 days ago (`purge_deleted_variables()`, audited). Organizations are found through their owners
 * and admins (users are global; each user sees their own memberships), and each purge runs in such a
 * member's context, so row-level security applies as for any request.
 */
export async function purgeAllOrganizations(
  database: Database,
): Promise<{ organizations: number; purged: number }> {
  const everyone = await database.select({ id: users.id }).from(users);
  const runAs = new Map<string, { userId: string; role: "owner" | "admin" }>();
  for (const user of everyone) {
    const rows = await withContext(
      { userId: user.id },
      (tx) =>
        tx
          .select({ organizationId: memberships.organizationId, role: memberships.role })
          .from(memberships)
          .where(and(eq(memberships.userId, user.id), inArray(memberships.role, ["owner", "admin"]))),
      database,
    );
    for (const r of rows)
      if (!runAs.has(r.organizationId))
        runAs.set(r.organizationId, { userId: user.id, role: r.role as "owner" | "admin" });
  }
  let purged = 0;
  for (const [organizationId, member] of runAs) {
    const [row] = await withContext(
      { ...member, organizationId },
      (tx) => tx.execute<{ n: number }>(sql`select purge_deleted_variables() as n`),
      database,
    );
    purged += Number(row.n);
  }
  return { organizations: runAs.size, purged };
}
