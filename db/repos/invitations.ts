import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Database, getDb, type Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { invitations, users } from "@/db/schema";
import { invitationHash } from "@/db/vault";
import type { AcceptStatus } from "@/lib/invitations";
import type { Role } from "@/lib/roles";

export type InvitationView = {
  organizationName: string;
  organizationSlug: string;
  email: string;
  role: Role;
  status: "pending" | "accepted" | "revoked" | "expired";
  expiresAt: Date;
};

/**
 * What the public invitation page may know, by the token's hash (invitation_by_token, SECURITY DEFINER):
 * the organization, email, role and state — never the inviter or the hash. Null for an unknown token.
 */
export async function invitationByToken(token: string): Promise<InvitationView | null> {
  const [row] = await getDb().execute<{
    organization_name: string;
    organization_slug: string;
    email: string;
    role: Role;
    status: InvitationView["status"];
    expires_at: string | Date;
  }>(sql`select * from invitation_by_token(${await invitationHash(token)})`);
  if (!row) return null;
  return {
    organizationName: row.organization_name,
    organizationSlug: row.organization_slug,
    email: row.email,
    role: row.role,
    status: row.status,
    expiresAt: new Date(row.expires_at),
  };
}

const inviter = alias(users, "inviter");

/** The organization's pending invitations (not accepted, revoked or expired), newest first. */
export async function listPendingInvitations(ctx: TenantContext) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        invitedBy: inviter.email,
        createdAt: invitations.createdAt,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
      .where(
        and(
          eq(invitations.organizationId, ctx.organizationId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .orderBy(desc(invitations.createdAt)),
  );
}

const pending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

/** Revokes the organization's pending invitations to this email: their ids. */
export async function revokePendingInvitationsTo(tx: Tx, organizationId: string, email: string) {
  return tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.email, email), pending()))
    .returning({ id: invitations.id });
}

/** Inserts an invitation valid for `days` from now: its id and expiry. */
export async function insertInvitation(
  tx: Tx,
  values: {
    organizationId: string;
    email: string;
    role: string;
    tokenHash: string;
    invitedBy: string;
    days: number;
  },
) {
  const { days, ...rest } = values;
  const [row] = await tx
    .insert(invitations)
    .values({ ...rest, expiresAt: sql`now() + make_interval(days => ${days})` })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  return row;
}

/** Revokes one pending invitation of the organization: who it was for, or null. */
export async function revokePendingInvitation(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.id, id), eq(invitations.organizationId, organizationId), pending()))
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  return row ?? null;
}

/**
 * accept_invitation (SECURITY DEFINER): membership, invitation and audit row in one statement; the outcome
 * and the organization's slug.
 */
export async function acceptInvitationByHash(tx: Tx, tokenHash: string, userId: string) {
  const [row] = await tx.execute<{ status: AcceptStatus; organization_slug: string | null }>(
    sql`select status, organization_slug from accept_invitation(${tokenHash}, ${userId}::uuid)`,
  );
  return row;
}

/** The invited email and the invitation's state by the token's hash (invitation_by_token), or null. */
export async function invitationStateByHash(db: Database | Tx, tokenHash: string) {
  const [invitation] = await db.execute<{ email: string; status: string }>(
    sql`select email, status from invitation_by_token(${tokenHash})`,
  );
  return invitation ?? null;
}
