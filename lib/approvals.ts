import { allowsEverywhere } from "./capabilities";
import { atLeast, can, type Permission } from "./policy";
import { type Classification, needsApproval, RISK_LEVELS, type Risk, type RiskLevel, riskOf } from "./risk";
import type { EnvironmentType, Role } from "./roles";

/**
 * Four-eyes change requests, as pure rules. A value change either applies at once, waits as a change request
 * for a reviewer who is not the requester, or is refused. docs/security.md has the table.
 */
export type WriteMode = "apply" | "request" | "forbidden";

export const CHANGE_REQUEST_DAYS = 7;
export const REASON_MIN = 10;

/** Roles that may propose a change where they cannot write (seed 004: production through approvals only). */
export const canPropose = (role: Role): boolean => allowsEverywhere(role, "value:propose");
/** Approve or reject other people's change requests (the capabilities table's `approvals:decide`). */
export const canApprove = (role: Role): boolean => can(role, "approvals:decide");

/**
 * How one value change goes through:
 * - inside a live break-glass session for the environment it applies at once (reviewed afterwards);
 * - with write permission, LOW and MEDIUM changes apply at once, HIGH and CRITICAL wait for approval;
 * - without write permission, roles that may propose send it for approval whatever its risk;
 * - everyone else is refused.
 */
export function writeMode(input: {
  role: Role;
  permission: Permission;
  risk: RiskLevel;
  emergency: boolean;
}): WriteMode {
  if (atLeast(input.permission, "write")) {
    if (input.emergency) return "apply";
    return needsApproval(input.risk) ? "request" : "apply";
  }
  return canPropose(input.role) ? "request" : "forbidden";
}

/** The risk of one value change and how it goes through for the caller (the page and the write path agree). */
export function valueChangeMode(input: {
  role: Role;
  permission: Permission;
  action: "value:set" | "value:delete";
  classification: Classification;
  weddingCritical: boolean;
  environmentType: EnvironmentType;
  emergency: boolean;
}): { mode: WriteMode; risk: Risk } {
  const risk = riskOf({
    action: input.action,
    classification: input.classification,
    weddingCritical: input.weddingCritical,
    environmentType: input.environmentType,
  });
  return { mode: writeMode({ ...input, risk: risk.level }), risk };
}

/** The mode of a batch: refused if any change is, a request if any change must wait, else applied. */
export function batchMode(modes: WriteMode[]): WriteMode {
  if (modes.includes("forbidden")) return "forbidden";
  return modes.includes("request") ? "request" : "apply";
}

export const highestRisk = (levels: RiskLevel[]): RiskLevel =>
  RISK_LEVELS[Math.max(0, ...levels.map((l) => RISK_LEVELS.indexOf(l)))];

export type ChangeRequestStatus = "pending" | "approved" | "rejected" | "cancelled" | "stale" | "expired";

/** What a request's status is now: a pending request past its expiry is expired, even before a job marks it. */
export function currentStatus(row: { status: string; expiresAt: Date }, now: Date): ChangeRequestStatus {
  const status = row.status as ChangeRequestStatus;
  return status === "pending" && row.expiresAt <= now ? "expired" : status;
}

/** Why the caller may not decide on a request, or null if they may. */
export function decisionRefusal(
  caller: { userId: string; role: Role },
  request: { requestedBy: string; status: ChangeRequestStatus },
): string | null {
  if (!canApprove(caller.role)) return "Only security reviewers, admins and owners decide change requests";
  if (request.requestedBy === caller.userId) return "You cannot approve or reject your own change request";
  if (request.status !== "pending") return `This request is already ${request.status}`;
  return null;
}
