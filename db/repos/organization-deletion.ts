import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";

/**
 * Deleting an organization (migration 0051): its deletion lives where the app role cannot read it; these
 * SECURITY DEFINER functions are the only way in.
 */

/** In the organization's context, as an owner, with its slug typed again: when it will be purged. */
export async function markDeleted(tx: Tx, confirmSlug: string): Promise<Date> {
  const [row] = await tx.execute<{ purge: string }>(sql`select delete_organization(${confirmSlug}) as purge`);
  return new Date(row.purge);
}

export type DeletedOrganization = {
  id: string;
  slug: string;
  name: string;
  deletedAt: Date;
  purgeAfter: Date;
};

/** The caller's own deleted organizations (they own them), not yet purged. */
export async function myDeletedOrganizations(tx: Tx): Promise<DeletedOrganization[]> {
  const rows = await tx.execute<{
    id: string;
    slug: string;
    name: string;
    deleted_at: string;
    purge_after: string;
  }>(sql`select id, slug, name, deleted_at, purge_after from my_deleted_organizations()`);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    deletedAt: new Date(r.deleted_at),
    purgeAfter: new Date(r.purge_after),
  }));
}

/** In the caller's own context (no organization): whether it was deleted, in its grace period, and theirs. */
export async function unmarkDeleted(tx: Tx, organizationId: string): Promise<boolean> {
  const [row] = await tx.execute<{ ok: boolean }>(
    sql`select restore_organization(${organizationId}::uuid) as ok`,
  );
  return row.ok;
}

export async function dueForPurge(db: Database, proof: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(
    sql`select id from organizations_due_for_purge(${proof}) as id`,
  );
  return rows.map((r) => r.id);
}

/** Every row of the organization, in one transaction: the rows removed per table. */
export async function purge(db: Database, proof: string, organizationId: string) {
  const [row] = await db.execute<{ removed: Record<string, number> }>(
    sql`select purge_organization(${proof}, ${organizationId}::uuid) as removed`,
  );
  return row.removed;
}
