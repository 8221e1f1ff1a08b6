import { type Capability, can } from "./policy";
import type { Role } from "./roles";

/**
 * What an entry point (server action, API route) declares it needs before its handler runs: a capability of the
 * caller's role, checked by the builder; or membership alone, for permissions that depend on the row (a value's
 * read or write permission, the caller's own session or request), with the name of the check that enforces
 * them. Either way it is declared, so an entry point cannot forget one (review finding 6).
 */
export type Declared = Capability | { member: string };

/** Membership is enough here; `enforcedBy` names the per-row check that decides (for readers of the code). */
export const memberOnly = (enforcedBy: string): Declared => ({ member: enforcedBy });

/** Whether a role passes the declared check (a membership declaration always does: the row check decides). */
export const passes = (role: Role, declared: Declared): boolean =>
  typeof declared === "string" ? can(role, declared) : true;

/** A value's read permission in its environment (role baseline, grants, break-glass), checked per row. */
export const VALUE_READ = memberOnly("read permission on the value (requireValuePermission)");
/** A value's write permission, or the right to propose it for approval, checked per row by the value gate. */
export const VALUE_WRITE = memberOnly("write or propose on the value (the value gate, writeValues)");
/** What belongs to the caller: their own sessions, change requests, break-glass session. */
export const OWN = memberOnly("the caller's own session, request or break-glass session");
