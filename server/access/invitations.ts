import { randomUUID } from "node:crypto";
import type { Database, Tx } from "@/db/client";
import { type RequestContext, setContext, type TenantContext, withContext } from "@/db/context";
import {
  acceptInvitationByHash,
  insertInvitation,
  invitationStateByHash,
  revokePendingInvitation,
  revokePendingInvitationsTo,
} from "@/db/repos/invitations";
import { memberIdByEmail } from "@/db/repos/organizations";
import { insertUserUnlessEmailTaken } from "@/db/repos/users";
import { invitationHash } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { type AcceptStatus, canInviteAs, INVITATION_DAYS, newInvitationToken } from "@/lib/invitations";
import { riskOf } from "@/lib/risk";
import type { InvitationInput } from "@/lib/validation/invitations";
import { writeAudit } from "@/server/audit/audit";
import { type PasswordHolder, passwordCandidate, verifyCandidate } from "@/server/auth/factors";
import { throttled } from "@/server/auth/login-limits";
import { requireCapability } from "@/server/authz";

/**
 * Invites someone by email (owners and admins; only an owner invites an owner). Returns the token once, for
 * the link; only its keyed hash is stored. A pending invitation to the same email is revoked in the same
 * transaction. Scored like a role change and audited.
 */
export async function createInvitation(tx: Tx, ctx: TenantContext, input: InvitationInput) {
  requireCapability(ctx, "members:manage");
  if (!canInviteAs(ctx.role, input.role)) throw new AppError("forbidden");
  if (await memberIdByEmail(tx, ctx.organizationId, input.email))
    throw new AppError("validation", { email: ["Already a member of this organization"] });
  const replaced = await revokePendingInvitationsTo(tx, ctx.organizationId, input.email);
  const token = newInvitationToken();
  const tokenHash = await invitationHash(token, tx);
  const row = await insertInvitation(tx, {
    organizationId: ctx.organizationId,
    email: input.email,
    role: input.role,
    tokenHash,
    invitedBy: ctx.userId,
    days: INVITATION_DAYS,
  });
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
  const row = await revokePendingInvitation(tx, ctx.organizationId, input.id);
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
  const row = await acceptInvitationByHash(tx, tokenHash, userId);
  return { status: row.status, slug: row.organization_slug };
}

/** The signed-in user joins the organization that invited their email. */
export async function acceptInvitation(
  database: Database,
  who: RequestContext,
  token: string,
): Promise<AcceptResult> {
  const { organizationId: _ignored, ...ctx } = who;
  const hash = await invitationHash(token, database);
  return withContext(ctx, (tx) => acceptIn(tx, hash, who.userId), database);
}

/** Thrown inside the transaction so a new account is rolled back with a refused acceptance. */
class Refused extends Error {
  constructor(readonly result: PasswordAcceptResult) {
    super(result.status);
  }
}

export type PasswordAcceptResult = {
  status: AcceptStatus | "invalid" | "rate_limited" | "totp_required";
  slug: string | null;
  email?: string;
};

/**
 * The signed-out visitor's one form on an invitation: a password (and a name), which either creates the
 * account for the invited email or — if that email already has one — proves it, exactly like a sign-in
 * (same throttling, same answer for a wrong password). Either way the page and the answers do not tell
 * whether the email had an account until the password is proved:
 *
 * - the typed password is hashed once, with the parameters password_params gives for the email (its real
 *   salt, or the stand-in one for an email without an account), so both paths cost the same;
 * - if password_check knows the hash, the password is proved: the existing account joins (or, with two-
 *   factor authentication on, the visitor is asked to sign in with the code first);
 * - otherwise the account is created with that hash (`on conflict do nothing`): if the email turns out to
 *   have an account after all, the password was wrong — counted, answered `invalid`.
 */
export async function acceptWithPassword(
  database: Database,
  request: Omit<RequestContext, "userId" | "organizationId">,
  input: { token: string; name: string; password: string },
): Promise<PasswordAcceptResult> {
  const tokenHash = await invitationHash(input.token, database);
  const invitation = await invitationStateByHash(database, tokenHash);
  if (!invitation) return { status: "unknown", slug: null };
  if (invitation.status !== "pending")
    return {
      status: invitation.status === "accepted" ? "used" : (invitation.status as AcceptStatus),
      slug: null,
    };
  const email = invitation.email;
  const outcome = await throttled<PasswordAcceptResult>(
    database,
    { account: email, address: request.ip },
    async () => {
      const { holder, candidate } = await proveOrPrepare(database, email, input.password);
      try {
        const result = await database.transaction(async (tx) => {
          const userId = holder?.id ?? randomUUID();
          // The new row is visible to its own context only (RLS), which ON CONFLICT needs to check it.
          await setContext(tx, { ...request, userId });
          if (!holder) {
            const created = await insertUserUnlessEmailTaken(tx, {
              id: userId,
              email,
              name: input.name,
              passwordHash: candidate,
            });
            if (!created) throw new Refused({ status: "invalid", slug: null });
          } else if (holder.totpEnabledAt) {
            throw new Refused({ status: "totp_required", slug: null });
          }
          const accepted = await acceptIn(tx, tokenHash, userId);
          if (accepted.status !== "accepted") throw new Refused(accepted);
          return { ...accepted, email };
        });
        return { outcome: "success" as const, value: result };
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        const status = error.result.status;
        return {
          outcome: status === "invalid" ? ("failure" as const) : ("neutral" as const),
          value: error.result,
        };
      }
    },
  );
  return outcome.limited ? { status: "rate_limited", slug: null } : outcome.value;
}

/** One argon2id computation: proves an existing account's password, or is the new account's hash. */
async function proveOrPrepare(
  database: Database,
  email: string,
  password: string,
): Promise<{ holder: PasswordHolder | null; candidate: string }> {
  const candidate = await passwordCandidate(database, email, password);
  if (!candidate) throw new Error("password parameters unavailable");
  return { holder: await verifyCandidate(database, email, candidate), candidate };
}
