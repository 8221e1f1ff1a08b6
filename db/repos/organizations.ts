import { and, count, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, organizations, users } from "@/db/schema";

/** An organization's row and its memberships, inside the caller's transaction (RLS applies). */

/**
 * Inserts the organization under the first of `slugs` no other organization has (the caller cannot see the
 * others: the unique index answers); the slug it got, or null when every one was taken.
 */
export async function insertOrganizationUnderFreeSlug(
  tx: Tx,
  values: { id: string; name: string; timeZone: string },
  slugs: string[],
): Promise<string | null> {
  for (const slug of slugs) {
    const added = await tx
      .insert(organizations)
      .values({ ...values, slug })
      .onConflictDoNothing({ target: organizations.slug });
    if (added.count !== 0) return slug;
  }
  return null;
}

export async function updateOrganizationName(tx: Tx, organizationId: string, name: string) {
  const [row] = await tx
    .update(organizations)
    .set({ name, updatedAt: sql`now()` })
    .where(eq(organizations.id, organizationId))
    .returning({ id: organizations.id });
  return row !== undefined;
}

/** The organization's time zone row, or null when the caller cannot see the organization. */
export async function organizationTimeZone(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row ?? null;
}

export async function updateOrganizationTimeZone(tx: Tx, organizationId: string, timeZone: string) {
  await tx
    .update(organizations)
    .set({ timeZone, version: sql`${organizations.version} + 1`, updatedAt: new Date() })
    .where(eq(organizations.id, organizationId));
}

/** The organization's slug and name, or undefined when it cannot be seen. */
export async function organizationLabel(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select({ slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row;
}

/** The organization's slug (for links), or undefined when it cannot be seen. */
export async function organizationSlug(tx: Tx, organizationId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row?.slug;
}

/** The longest a service token of the organization may live, in days (undefined when it cannot be seen). */
export async function organizationMaxTokenDays(tx: Tx, organizationId: string): Promise<number | undefined> {
  const [row] = await tx
    .select({ days: organizations.maxTokenDays })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row?.days;
}

export async function updateOrganizationMaxTokenDays(tx: Tx, organizationId: string, days: number) {
  await tx
    .update(organizations)
    .set({ maxTokenDays: days, version: sql`${organizations.version} + 1`, updatedAt: new Date() })
    .where(eq(organizations.id, organizationId));
}

export async function insertMembership(
  tx: Tx,
  values: { organizationId: string; userId: string; role: string },
) {
  await tx.insert(memberships).values(values);
}

/** The user id of the member of the organization with this email (compared as given). */
export async function memberIdByEmail(tx: Tx, organizationId: string, email: string) {
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.organizationId, organizationId)),
    )
    .where(eq(users.email, email));
  return member?.id ?? null;
}

/** A member's role in the organization, or null when they are not a member. */
export async function memberRole(tx: Tx, organizationId: string, userId: string) {
  const [m] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return m?.role ?? null;
}

export async function ownerCount(tx: Tx, organizationId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")));
  return row.n;
}

export async function updateMemberRole(tx: Tx, organizationId: string, userId: string, role: string) {
  await tx
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
}

export async function deleteMembership(tx: Tx, organizationId: string, userId: string) {
  await tx
    .delete(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
}
