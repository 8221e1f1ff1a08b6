import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import {
  type AcceptStatus,
  canInviteAs,
  hashInvitationToken,
  INVITATION_DAYS,
  newInvitationToken,
} from "@/lib/invitations";
import { riskOf } from "@/lib/risk";
import type { InvitationInput } from "@/lib/validation/invitations";
import { requireCapability } from "../authz";
import type { Database, Tx } from "../client";
import { type RequestContext, setContext, type TenantContext, withContext } from "../context";
import { invitations, memberships, users } from "../schema";
import { writeAudit } from "./audit";
import { createUser } from "./users";

const pending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

/**
 * Invites someone by email (owners and admins; only an owner invites an owner). Returns the token once, for
 * the link; only its SHA-256 is stored. A pending invitation to the same email is revoked in the same
 * transaction. Scored like a role change and audited.
 */
export async function createInvitation(tx: Tx, ctx: TenantContext, input: InvitationInput) {
  requireCapability(ctx, "members:manage");
  if (!canInviteAs(ctx.role, input.role)) throw new AppError("forbidden");
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.organizationId, ctx.organizationId)),
    )
    .where(eq(users.email, input.email));
  if (member) throw new AppError("validation", { email: ["Already a member of this organization"] });
  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(invitations.organizationId, ctx.organizationId), eq(invitations.email, input.email), pending()),
    )
    .returning({ id: invitations.id });
  const { token, hash: tokenHash } = newInvitationToken();
  const [row] = await tx
    .insert(invitations)
    .values({
      organizationId: ctx.organizationId,
      email: input.email,
      role: input.role,
      tokenHash,
      invitedBy: ctx.userId,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  const risk = riskOf({ action: "member:invite", role: input.role });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "invitation",
    resourceId: row.id,
    riskLevel: risk.level,
    details: {
      email: input.email,
      role: input.role,
      expires: row.expiresAt.toISOString(),
      ...(replaced.length > 0 ? { replaces: replaced.map((r) => r.id) } : {}),
      risk: risk.reasons,
    },
  });
  return { id: row.id, token, email: input.email, role: input.role, expiresAt: row.expiresAt };
}

/** Withdraws a pending invitation (owners and admins); its link stops working at once. Audited. */
export async function revokeInvitation(tx: Tx, ctx: TenantContext, input: { id: string }) {
  requireCapability(ctx, "members:manage");
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.id, input.id), eq(invitations.organizationId, ctx.organizationId), pending()))
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "invitation",
    resourceId: row.id,
    riskLevel: riskOf({ action: "invitation:revoke" }).level,
    details: { email: row.email, role: row.role, revoked: true },
  });
}

export type AcceptResult = { status: AcceptStatus; slug: string | null };

/** Calls accept_invitation (SECURITY DEFINER): membership, invitation and audit row in one statement. */
async function acceptIn(tx: Tx, tokenHash: string, userId: string): Promise<AcceptResult> {
  const [row] = await tx.execute<{ status: AcceptStatus; organization_slug: string | null }>(
    sql`select status, organization_slug from accept_invitation(${tokenHash}, ${userId}::uuid)`,
  );
  return { status: row.status, slug: row.organization_slug };
}

/** The signed-in user joins the organization that invited their email. */
export async function acceptInvitation(
  database: Database,
  who: RequestContext,
  token: string,
): Promise<AcceptResult> {
  const { organizationId: _ignored, ...ctx } = who;
  return withContext(ctx, (tx) => acceptIn(tx, hashInvitationToken(token), who.userId), database);
}

/** Thrown inside the transaction so the new account is rolled back with the refused acceptance. */
class Refused extends Error {
  constructor(readonly result: AcceptResult) {
    super(result.status);
  }
}

/**
 * Creates the account for the invited email (argon2id) and joins, in one transaction: the email is the
 * invitation's, so a link can create only the account it was made for, and only while it is pending.
 */
export async function createAccountAndAccept(
  database: Database,
  request: Omit<RequestContext, "userId" | "organizationId">,
  input: { token: string; name: string; password: string },
): Promise<AcceptResult & { email?: string }> {
  const tokenHash = hashInvitationToken(input.token);
  try {
    return await database.transaction(async (tx) => {
      const [invitation] = await tx.execute<{ email: string; status: string }>(
        sql`select email, status from invitation_by_token(${tokenHash})`,
      );
      if (!invitation) throw new Refused({ status: "unknown", slug: null });
      if (invitation.status !== "pending")
        throw new Refused({
          status: invitation.status === "accepted" ? "used" : (invitation.status as AcceptStatus),
          slug: null,
        });
      const [existing] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.email, invitation.email));
      if (existing) throw new Refused({ status: "account_exists", slug: null });
      const user = await createUser(tx, {
        email: invitation.email,
        name: input.name,
        password: input.password,
      });
      await setContext(tx, { ...request, userId: user.id });
      const result = await acceptIn(tx, tokenHash, user.id);
      if (result.status !== "accepted") throw new Refused(result);
      return { ...result, email: invitation.email };
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}
