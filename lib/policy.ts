import { type EnvironmentType, environmentTier, type Role } from "./roles";
import {
  describeTimeRestriction,
  isUnrestricted,
  type TimeRestriction,
  timeRestrictionAllows,
} from "./time-restrictions";

export type { TimeRestriction } from "./time-restrictions";

/**
 * The permission model (seed 004), as pure functions. The same baseline lives in SQL
 * (`baseline_permission`) for RLS; tests run one table of cases against both.
 */
export const PERMISSIONS = ["none", "read", "write", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const atLeast = (have: Permission, need: Permission): boolean =>
  PERMISSIONS.indexOf(have) >= PERMISSIONS.indexOf(need);

const maxOf = (a: Permission, b: Permission): Permission => (atLeast(a, b) ? a : b);

export function baselinePermission(role: Role, envType: EnvironmentType): Permission {
  const tier = environmentTier(envType);
  switch (role) {
    case "owner":
    case "admin":
      return "admin";
    case "on_call":
      return "read";
    case "security_reviewer":
      return "none";
    case "lead":
      return tier === "production" ? "read" : "admin";
    case "developer":
      return tier === "production" ? "none" : "write";
    case "viewer":
      return tier === "production" ? "none" : "read";
  }
}

export const canUseEmergency = (role: Role): boolean =>
  role === "owner" || role === "admin" || role === "on_call";

export type Capability =
  | "variable:create"
  | "variable:update"
  | "variable:delete"
  | "environment:manage"
  | "settings:manage"
  | "audit:read"
  | "members:manage"
  | "metadata:read"
  | "drift:resolve"
  | "approvals:decide";

const CAPABILITIES: Record<Capability, readonly Role[]> = {
  "variable:create": ["owner", "admin", "lead", "developer"],
  "variable:update": ["owner", "admin", "lead", "developer"],
  "variable:delete": ["owner", "admin", "lead"],
  "environment:manage": ["owner", "admin"],
  "settings:manage": ["owner", "admin"],
  "members:manage": ["owner", "admin"],
  "audit:read": ["owner", "admin", "lead", "security_reviewer", "on_call"],
  "metadata:read": ["owner", "admin", "lead", "developer", "viewer", "security_reviewer", "on_call"],
  // Dismiss drift in any environment (on-call resolves it on weekends); others only where they may write.
  "drift:resolve": ["owner", "admin", "on_call"],
  // Approve or reject others' change requests, acknowledge others' emergency changes (four eyes).
  "approvals:decide": ["owner", "admin", "security_reviewer"],
};

export const can = (role: Role, capability: Capability): boolean => CAPABILITIES[capability].includes(role);

/** A grant from variable_access_policies, beyond the role baseline. */
export type AccessGrant = {
  userId: string | null;
  role: Role | null;
  permission: "read" | "write" | "admin" | "emergency";
  variableId: string | null;
  /** Scope to the variables carrying this tag (null: not tag-scoped). */
  tag: string | null;
  environmentNames: string[] | null;
  expiresAt: Date | null;
  isActive: boolean;
  /** Days and hours in the organization's time zone when the grant applies ({} = always). */
  timeRestriction: TimeRestriction;
};

/** Active and not expired (a time-of-day window is evaluated separately). */
export const grantIsLive = (g: Pick<AccessGrant, "isActive" | "expiresAt">, now: Date): boolean =>
  g.isActive && (!g.expiresAt || g.expiresAt > now);

export type EffectiveInput = {
  role: Role;
  userId: string;
  envType: EnvironmentType;
  envName: string;
  variableId: string | null;
  /** The variable's tags, for tag-scoped grants. */
  variableTags?: string[];
  grants: AccessGrant[];
  now: Date;
  /** The organization's time zone: time-restricted grants are evaluated in it. */
  timeZone: string;
  /** The caller holds a live break-glass session for this environment. */
  emergencySession?: boolean;
};

/**
 * The highest of the role baseline and every live grant that matches the user, variable and environment at
 * `now` (in the organization's time zone for time-restricted grants). A matching grant outside its window is
 * listed in the reasons as "(not now)" and does not count.
 */
export function effectivePermission(input: EffectiveInput): {
  permission: Permission;
  emergency: boolean;
  reasons: string[];
} {
  let permission = baselinePermission(input.role, input.envType);
  let emergency = false;
  const reasons = [`role ${input.role}: ${permission} on ${input.envName}`];
  for (const g of input.grants) {
    const live = grantIsLive(g, input.now);
    const subject = g.userId === input.userId || (g.role !== null && g.role === input.role);
    const variable =
      (g.variableId === null || g.variableId === input.variableId) &&
      (g.tag === null || (input.variableTags ?? []).includes(g.tag));
    const env = g.environmentNames === null || g.environmentNames.includes(input.envName);
    if (!live || !subject || !variable || !env) continue;
    const timed = !isUnrestricted(g.timeRestriction);
    const inWindow = timeRestrictionAllows(g.timeRestriction, input.timeZone, input.now);
    reasons.push(
      `policy for ${g.userId ? "this user" : `role ${g.role}`}: ${g.permission}` +
        `${g.variableId ? " on one variable" : ""}${g.tag ? ` on #${g.tag}` : ""}` +
        `${g.environmentNames ? ` in ${g.environmentNames.join(", ")}` : ""}` +
        `${timed ? `, ${describeTimeRestriction(g.timeRestriction)}${inWindow ? "" : " (not now)"}` : ""}`,
    );
    if (!inWindow) continue;
    const level: Permission = g.permission === "emergency" ? "read" : g.permission;
    if (g.permission === "emergency") emergency = true;
    permission = maxOf(permission, level);
  }
  if (input.emergencySession && (canUseEmergency(input.role) || emergency) && !atLeast(permission, "write")) {
    permission = "write";
    reasons.push("live emergency session: write");
  }
  return { permission, emergency, reasons };
}
