import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentNamesAndTypes } from "@/db/repos/environments";
import { memberIdByEmail, organizationTimeZone } from "@/db/repos/organizations";
import { deactivatePolicy, insertPolicy } from "@/db/repos/policies";
import { liveVariableNamed } from "@/db/repos/variable-rows";
import { AppError } from "@/lib/errors";
import { todayIn } from "@/lib/format";
import { riskOf } from "@/lib/risk";
import { describeTimeRestriction } from "@/lib/time-restrictions";
import type { PolicyInput } from "@/lib/validation/access";
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

/**
 * Grants access beyond the role baseline (owners and admins only); scored and audited. A HIGH grant (admin,
 * emergency, write on production) waits for a reviewer, who may not approve a grant that would reach them.
 */
export async function grantPolicy(
  tx: Tx,
  ctx: TenantContext,
  input: PolicyInput,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "policy:grant", null);
  if (!approved) requireCapability(ctx, "members:manage");
  if (input.expiresAt) {
    // The last day the grant applies, in the organization's zone: today or before is already over.
    const org = await organizationTimeZone(tx, ctx.organizationId);
    if (input.expiresAt <= todayIn(new Date(), org?.timeZone ?? "UTC"))
      throw new AppError("validation", { expiresAt: ["Must be in the future"] });
  }
  let userId: string | null = null;
  if (input.subject === "user") {
    userId = await memberIdByEmail(tx, ctx.organizationId, (input.email ?? "").toLowerCase());
    if (!userId)
      throw new AppError("validation", { email: ["No member of this organization has that email"] });
  }
  let variableId: string | null = null;
  if (input.scope === "variable") {
    variableId = (await liveVariableNamed(tx, ctx.organizationId, input.variable ?? ""))?.id ?? null;
    if (!variableId) throw new AppError("validation", { variable: ["No live variable has that name"] });
  }
  const envs = await environmentNamesAndTypes(tx, ctx.organizationId);
  const unknown = input.environments.filter((e) => !envs.some((x) => x.name === e));
  if (unknown.length > 0)
    throw new AppError("validation", { environments: [`Unknown: ${unknown.join(", ")}`] });
  const scoped =
    input.environments.length > 0 ? envs.filter((e) => input.environments.includes(e.name)) : envs;
  const production = scoped.some((e) => e.type === "production" || e.type === "disaster_recovery");
  const risk = riskOf({ action: "policy:grant", permission: input.permission, production });
  const to = input.subject === "user" ? input.email : `role ${input.role}`;
  const scope =
    input.scope === "all" ? "all variables" : input.scope === "tag" ? `#${input.tag}` : input.variable;
  if (approved && (userId === ctx.userId || (input.subject === "role" && input.role === ctx.role)))
    throw new AppError("forbidden", { form: ["You cannot approve access that would be granted to you"] });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "policy:grant",
      payload: input,
      summary: `Grant ${input.permission} to ${to} on ${scope} in ${input.environments.length > 0 ? input.environments.join(", ") : "every environment"}`,
      risk,
      reason: options.reason,
      variableId,
    });
  const id = await insertPolicy(tx, {
    organizationId: ctx.organizationId,
    userId,
    role: input.subject === "role" ? (input.role ?? null) : null,
    permissionLevel: input.permission,
    variableId,
    tag: input.scope === "tag" ? (input.tag ?? null) : null,
    environmentRestrictions: input.environments.length > 0 ? input.environments : null,
    // Ends with that day in the organization's zone (not the session's): lib/format.ts, "Dates".
    lastDay: input.expiresAt ?? null,
    timeRestrictions: input.timeRestriction,
    emergencyOverride: input.permission === "emergency",
    grantedBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "permission",
    resourceId: id,
    variableId,
    riskLevel: risk.level,
    details: {
      to,
      permission: input.permission,
      scope,
      environments: input.environments.length > 0 ? input.environments : "all",
      expires: input.expiresAt ?? null,
      when: describeTimeRestriction(input.timeRestriction),
      risk: risk.reasons,
      ...approvedBy(options.approval),
    },
  });
  return { status: "applied", id };
}

/** Revokes a grant (kept, inactive, for the record); audited. */
export async function revokePolicy(tx: Tx, ctx: TenantContext, input: { id: string; version: number }) {
  requireCapability(ctx, "members:manage");
  const row = await deactivatePolicy(tx, ctx.organizationId, input.id, input.version);
  if (!row) throw new AppError("conflict:version");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "permission",
    resourceId: row.id,
    riskLevel: riskOf({ action: "policy:revoke" }).level,
    details: { revoked: row.permission },
  });
}
