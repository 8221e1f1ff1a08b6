import { allows, allowsEverywhere, type Capability } from "./capabilities";
import { type EnvironmentType, environmentTier, type Role } from "./roles";
import {
  describeTimeRestriction,
  isUnrestricted,
  type TimeRestriction,
  timeRestrictionAllows,
} from "./time-restrictions";

export type { TimeRestriction } from "./time-restrictions";

/**
 * The permission model (seed 004), as pure functions over the capabilities table (lib/capabilities.ts), with
 * grants and break-glass sessions widening it. The same baseline lives in SQL (`baseline_permission`,
 * `app_value_permission`) for RLS; tests/db/capabilities.test.ts compares them for every role and tier.
 */
export const PERMISSIONS = ["none", "read", "write", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const atLeast = (have: Permission, need: Permission): boolean =>
  PERMISSIONS.indexOf(have) >= PERMISSIONS.indexOf(need);

const maxOf = (a: Permission, b: Permission): Permission => (atLeast(a, b) ? a : b);

/** The role's permission on values in an environment of this type: the capabilities table's `value:*` rows. */
export function baselinePermission(role: Role, envType: EnvironmentType): Permission {
  const tier = environmentTier(envType);
  if (allows(role, "value:admin", tier)) return "admin";
  if (allows(role, "value:write", tier)) return "write";
  if (allows(role, "value:read", tier)) return "read";
  return "none";
}

/** Who may open a break-glass session (besides holders of an emergency grant). */
export const canUseEmergency = (role: Role): boolean => allowsEverywhere(role, "emergency:open");

export type { Capability } from "./capabilities";

/** Whether the role has the capability in every tier (organization-wide capabilities: lib/capabilities.ts). */
export const can = (role: Role, capability: Capability): boolean => allowsEverywhere(role, capability);

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
