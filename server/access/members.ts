import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { deleteMembership, memberRole, ownerCount, updateMemberRole } from "@/db/repos/organizations";
import { revokeAllSessionsOf } from "@/db/repos/sessions";
import { userEmail } from "@/db/repos/users";
import { AppError } from "@/lib/errors";
import { riskOf } from "@/lib/risk";
import type { Role } from "@/lib/roles";
import {
  type Approval,
  approvedBy,
  approvedChange,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import type { ConsoleChange } from "@/server/variables/variables";

async function membership(tx: Tx, ctx: TenantContext, userId: string) {
  const role = await memberRole(tx, ctx.organizationId, userId);
  if (!role) throw new AppError("not_found");
  return role as Role;
}

const owners = (tx: Tx, ctx: TenantContext) => ownerCount(tx, ctx.organizationId);

/**
 * Changes a member's role (owners and admins; only an owner makes or unmakes owners; never your own). Making
 * someone an owner or admin is HIGH: it waits for a reviewer, who may not approve a change of their own role.
 */
export async function changeRole(
  tx: Tx,
  ctx: TenantContext,
  input: { userId: string; role: Role },
  options: { reason?: string; approval?: Approval; from?: Role } = {},
): Promise<ConsoleChange<{ role: Role }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "member:role", null);
  if (!approved) requireCapability(ctx, "members:manage");
  if (input.userId === ctx.userId)
    throw new AppError(
      approved ? "forbidden" : "validation",
      approved
        ? { form: ["You cannot approve a change of your own role"] }
        : { role: ["You cannot change your own role"] },
    );
  const current = await membership(tx, ctx, input.userId);
  // Approved later: the role must still be what it was when the change was asked for.
  if (options.from && options.from !== current) throw new AppError("conflict:version");
  // A change to the role they already have changes nothing: no request, no audit row.
  if (input.role === current)
    throw new AppError("conflict:no_change", { role: ["They already have this role"] });
  if (!approved && (current === "owner" || input.role === "owner") && ctx.role !== "owner")
    throw new AppError("forbidden");
  if (current === "owner" && input.role !== "owner" && (await owners(tx, ctx)) <= 1)
    throw new AppError("validation", { role: ["An organization keeps at least one owner"] });
  const risk = riskOf({ action: "member:role", to: input.role });
  if (mustWait(risk, approved)) {
    const email = await userEmail(tx, input.userId);
    return deferChange(tx, ctx, {
      action: "member:role",
      payload: { ...input, from: current },
      summary: `Make ${email ?? input.userId} ${input.role.replace("_", " ")} (now ${current.replace("_", " ")})`,
      risk,
      reason: options.reason,
    });
  }
  await updateMemberRole(tx, ctx.organizationId, input.userId, input.role);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "member",
    resourceId: input.userId,
    riskLevel: risk.level,
    details: { from: current, to: input.role, ...approvedBy(options.approval) },
  });
  return { status: "applied", role: input.role };
}

/** Removes a member from the organization (not yourself, not the last owner). */
export async function removeMember(tx: Tx, ctx: TenantContext, input: { userId: string }) {
  requireCapability(ctx, "members:manage");
  if (input.userId === ctx.userId) throw new AppError("validation", { form: ["You cannot remove yourself"] });
  const current = await membership(tx, ctx, input.userId);
  if (current === "owner" && ctx.role !== "owner") throw new AppError("forbidden");
  if (current === "owner" && (await owners(tx, ctx)) <= 1)
    throw new AppError("validation", { form: ["An organization keeps at least one owner"] });
  await deleteMembership(tx, ctx.organizationId, input.userId);
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "member",
    resourceId: input.userId,
    riskLevel: riskOf({ action: "member:remove" }).level,
    details: { role: current },
  });
}

/** Signs a member out everywhere: every live session row is revoked; their next request is refused. */
export async function revokeMemberSessions(tx: Tx, ctx: TenantContext, input: { userId: string }) {
  requireCapability(ctx, "members:manage");
  await membership(tx, ctx, input.userId);
  const revoked = await revokeAllSessionsOf(tx, input.userId);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "session",
    resourceId: input.userId,
    details: { revoked_sessions: revoked.length, of_member: input.userId },
  });
  return { revoked: revoked.length };
}
