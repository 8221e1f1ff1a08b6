import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { invitations, users } from "@/db/schema";
import { hashInvitationToken } from "@/lib/invitations";
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
  }>(sql`select * from invitation_by_token(${hashInvitationToken(token)})`);
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
