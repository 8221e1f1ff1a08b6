import { allowsEverywhere, type OrgCapability, type TieredCapability } from "./capabilities";
import type { Role } from "./roles";

/**
 * What an entry point (server action, route handler) declares it needs; the action builder (server/entry/)
 * requires one by type and checks it before the handler runs:
 * - `"public"`: nobody in particular (sign-in, invitation by token; the handler checks the token and limits);
 * - `"signed-in"`: a live session, in no organization (the caller's own account);
 * - `"operator"`: an installation operator (`npm run ops:grant`), in no organization: the operator console;
 * - `"member"`: a member of the organization, for what is the caller's own (sessions, requests, break-glass);
 * - an organization-wide capability of the caller's role (lib/capabilities.ts), checked by the builder;
 * - a capability that depends on the environment (`{ capability: "value:write", enforcedBy }`): membership in
 *   the builder, then the named service check decides in the row's tier, with grants and break-glass.
 */
export type PerRow = { capability: TieredCapability; enforcedBy: string };
export type MemberDeclared = "member" | OrgCapability | PerRow;
export type Declared = "public" | "signed-in" | "operator" | MemberDeclared;

/** A capability checked per row by the named check (for readers of the code and docs/security.md). */
export const perRow = (capability: TieredCapability, enforcedBy: string): PerRow => ({
  capability,
  enforcedBy,
});

/** Whether a member's role passes what was declared (a per-row declaration leaves it to the row's check). */
export const passes = (role: Role, declared: MemberDeclared): boolean =>
  typeof declared === "string" && declared !== "member" ? allowsEverywhere(role, declared) : true;

/** A value's read permission in its environment (table, grants, break-glass), checked per row. */
export const VALUE_READ = perRow("value:read", "requireValuePermission");
/** A value's write permission, or the right to propose it for approval, checked per row by the value gate. */
export const VALUE_WRITE = perRow(
  "value:write",
  "the value gate (writeValues): write, or propose for approval",
);
/** What belongs to the caller: their own sessions, change requests, break-glass session. */
export const OWN = "member" as const;
