import { canPropose } from "./approvals";
import { CAPABILITY_WORDS } from "./capabilities";
import { formatInZone } from "./format";
import { atLeast, type Capability, can, canUseEmergency, type Permission } from "./policy";
import type { Role } from "./roles";

/**
 * What the UI offers the caller, decided from the same tables the server checks (the capabilities table,
 * the permission baseline and grants, who may propose, the wedding-hours lock), so a page never shows a
 * control its action would refuse, and says why instead:
 * - `hidden`: the caller's role or permission can never do it here (the reason replaces the control);
 * - `locked`: a protected environment during wedding hours; shown disabled with until when, and a way to
 *   break glass for those who may;
 * - `enabled`: offered (`approval`: it will wait for a reviewer).
 * The server still refuses on its own (defence in depth); this only keeps the two in agreement.
 */
export type Control =
  | { state: "enabled"; approval: boolean }
  | { state: "hidden"; reason: string }
  | { state: "locked"; reason: string; breakGlass: boolean };

/** The organization's wedding-hours lock now (null when none holds). */
export type Lock = { until: Date; timeZone: string } | null;

type EnvironmentInput = {
  role: Role;
  /** The caller's permission on the environment's values (role baseline and grants). */
  permission: Permission;
  environment: string;
  /** The lock, when it applies to this environment (a protected one during wedding hours). */
  lock: Lock;
  /** The caller holds a live break-glass session for this environment. */
  emergency: boolean;
  /** A live emergency grant lets the caller break glass here whatever the role (lib/capabilities.ts). */
  emergencyGrant?: boolean;
};

const locked = (input: EnvironmentInput): Control | null =>
  input.lock && !input.emergency
    ? {
        state: "locked",
        reason: `Locked for wedding hours until ${formatInZone(input.lock.until, input.lock.timeZone)}.`,
        breakGlass: canUseEmergency(input.role) || input.emergencyGrant === true,
      }
    : null;

/** Setting, deleting, promoting or importing values in an environment (the value gate's rules). */
export function valueChangeControl(input: EnvironmentInput): Control {
  const write = atLeast(input.permission, "write");
  if (!write && !canPropose(input.role))
    return {
      state: "hidden",
      reason: `Your role (${input.role}) cannot change values in ${input.environment}.`,
    };
  return locked(input) ?? { state: "enabled", approval: !write };
}

/** Pushing (or rolling back) to an environment's sync targets: write permission there, and the lock. */
export function pushControl(input: EnvironmentInput): Control {
  if (!atLeast(input.permission, "write"))
    return { state: "hidden", reason: `Pushing to ${input.environment} needs write permission there.` };
  return locked(input) ?? { state: "enabled", approval: false };
}

/** A control that needs one capability of the caller's role (the table the action builder checks). */
export function capabilityControl(role: Role, capability: Capability): Control {
  return can(role, capability)
    ? { state: "enabled", approval: false }
    : { state: "hidden", reason: `Your role (${role}) cannot ${CAPABILITY_WORDS[capability]}.` };
}
