import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Role } from "@/lib/roles";
import { withContext } from "../context";
import { memberships, organizations } from "../schema";

export async function membershipFor(userId: string, slug: string) {
  return withContext({ userId }, async (tx) => {
    const [row] = await tx
      .select({
        organizationId: organizations.id,
        name: organizations.name,
        timeZone: organizations.timeZone,
        role: memberships.role,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(and(eq(memberships.userId, userId), eq(organizations.slug, slug)));
    return row ? { ...row, role: row.role as Role } : null;
  });
}

export async function organizationsFor(userId: string) {
  return withContext({ userId }, (tx) =>
    tx
      .select({ slug: organizations.slug, name: organizations.name, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(organizations.name)),
  );
}
