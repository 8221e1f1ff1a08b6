import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { withContext } from "@/db/context";
import { memberships, organizations } from "@/db/schema";
import type { Role } from "@/lib/roles";
import { isOrganizationSlug } from "@/lib/validation/characters";

/**
 * The caller's membership of the organization named by a slug from a URL or an action's arguments; null for
 * anything that is not a slug (a NUL byte, an object, 100k characters…) without asking the database.
 */
export async function membershipFor(userId: string, slug: string) {
  if (!isOrganizationSlug(slug)) return null;
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
      .where(
        and(
          eq(memberships.userId, userId),
          eq(organizations.slug, slug),
          sql`not app_org_deleted(${organizations.id})`,
        ),
      );
    return row ? { ...row, role: row.role as Role } : null;
  });
}

/** A user's role in an organization, inside the caller's transaction (RLS: the user's own membership), or null. */
export async function membershipRole(tx: Tx, userId: string, organizationId: string): Promise<Role | null> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)));
  return (row?.role as Role | undefined) ?? null;
}

export async function organizationsFor(userId: string) {
  return withContext({ userId }, (tx) => organizationsIn(tx, userId));
}

/** The same in the caller's transaction (a page's shared reads): their own memberships are visible anywhere. */
export async function organizationsIn(tx: Tx, userId: string) {
  return tx
    .select({ slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), sql`not app_org_deleted(${organizations.id})`))
    .orderBy(asc(organizations.name));
}
