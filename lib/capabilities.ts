import { ROLES, type Role, type Tier } from "./roles";

/**
 * Who may do what, written once: role × capability × environment tier (lib/roles.ts `environmentTier`:
 * development and testing are `lower`; staging; production and disaster recovery are `production`).
 *
 * Read by the services (lib/policy.ts `can`, `baselinePermission`; db/authz.ts), by the action builder
 * (server/entry/, against each entry point's declared capability), by the UI (lib/controls.ts) and compared
 * with the SQL helpers for every role × capability × tier by tests/db/capabilities.test.ts.
 *
 * Two things widen the table, and only for the `value:*` capabilities (lib/policy.ts `effectivePermission`):
 * - a grant (variable_access_policies) gives a user or a role read, write or admin on all, one or tagged
 *   variables in some or all environments, for a time or at some hours; an `emergency` grant gives read and
 *   the right to break glass;
 * - a live break-glass (emergency) session for one environment gives write there to the roles with
 *   `emergency:open` and to holders of an emergency grant.
 * `drift:resolve` follows write: whoever may write in an environment (table or grant) may dismiss its drift.
 */
export const TIERS = ["lower", "staging", "production"] as const satisfies readonly Tier[];

export const CAPABILITIES = [
  "value:read",
  "value:write",
  "value:admin",
  "value:propose",
  "value:metadata",
  "emergency:open",
  "drift:resolve",
  "variable:create",
  "variable:update",
  "variable:delete",
  "variable:purge",
  "environment:manage",
  "settings:manage",
  "members:manage",
  "audit:read",
  "metadata:read",
  "approvals:decide",
  "tokens:manage",
  "tokens:personal",
  "webhooks:manage",
  "integrations:manage",
  "keys:read",
  "keys:manage",
  "precheck:run",
  "organization:manage",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Capabilities that depend on the environment: checked per row, in the environment's tier. */
export const TIERED = [
  "value:read",
  "value:write",
  "value:admin",
  "value:propose",
  "value:metadata",
  "emergency:open",
  "drift:resolve",
] as const satisfies readonly Capability[];
export type TieredCapability = (typeof TIERED)[number];
/** Capabilities of the organization as a whole: the same in every tier (a unit test holds it). */
export type OrgCapability = Exclude<Capability, TieredCapability>;

export const isTiered = (c: Capability): c is TieredCapability => (TIERED as readonly string[]).includes(c);

type Tiers = readonly Tier[];
const ALL: Tiers = TIERS;
const BELOW_PRODUCTION: Tiers = ["lower", "staging"];
const NONE: Tiers = [];
/** An organization-wide capability: everywhere for the roles listed, nowhere for the others. */
const roles = (...allowed: Role[]): Record<Role, Tiers> =>
  Object.fromEntries(ROLES.map((r) => [r, allowed.includes(r) ? ALL : NONE])) as Record<Role, Tiers>;

/** The table. Seed 004: juniors read staging, seniors write it, leads administer it; production via approvals. */
export const CAPABILITY_TABLE: Record<Capability, Record<Role, Tiers>> = {
  "value:read": {
    owner: ALL,
    admin: ALL,
    lead: ALL,
    developer: BELOW_PRODUCTION,
    viewer: BELOW_PRODUCTION,
    security_reviewer: NONE,
    on_call: ALL,
  },
  "value:write": {
    owner: ALL,
    admin: ALL,
    lead: BELOW_PRODUCTION,
    developer: BELOW_PRODUCTION,
    viewer: NONE,
    security_reviewer: NONE,
    on_call: NONE,
  },
  "value:admin": {
    owner: ALL,
    admin: ALL,
    lead: BELOW_PRODUCTION,
    developer: NONE,
    viewer: NONE,
    security_reviewer: NONE,
    on_call: NONE,
  },
  // Where they cannot write, these roles send a change for approval (production through approvals only).
  "value:propose": roles("owner", "admin", "lead", "developer", "on_call"),
  // Value rows' metadata and hashes (never the value): readers, and security reviewers everywhere.
  "value:metadata": {
    owner: ALL,
    admin: ALL,
    lead: ALL,
    developer: BELOW_PRODUCTION,
    viewer: BELOW_PRODUCTION,
    security_reviewer: ALL,
    on_call: ALL,
  },
  "emergency:open": roles("owner", "admin", "on_call"),
  // On-call, owners and admins anywhere (weekends); the others where they may write.
  "drift:resolve": {
    owner: ALL,
    admin: ALL,
    lead: BELOW_PRODUCTION,
    developer: BELOW_PRODUCTION,
    viewer: NONE,
    security_reviewer: NONE,
    on_call: ALL,
  },
  "variable:create": roles("owner", "admin", "lead", "developer"),
  "variable:update": roles("owner", "admin", "lead", "developer"),
  "variable:delete": roles("owner", "admin", "lead"),
  // Purging variables deleted more than 90 days ago (the scheduled job acts as an owner).
  "variable:purge": roles("owner", "admin"),
  "environment:manage": roles("owner", "admin"),
  "settings:manage": roles("owner", "admin"),
  "members:manage": roles("owner", "admin"),
  "audit:read": roles("owner", "admin", "lead", "security_reviewer", "on_call"),
  "metadata:read": roles(...ROLES),
  // Approve or reject others' change requests, acknowledge others' emergency changes (four eyes).
  "approvals:decide": roles("owner", "admin", "security_reviewer"),
  // Create and revoke service tokens (machine access to values; a token never exceeds its creator's reads).
  "tokens:manage": roles("owner", "admin"),
  // A personal token for oneself (`ringbearer login`, 12 hours): it acts as its creator, never beyond them.
  "tokens:personal": roles(...ROLES),
  // Add, change and remove webhook endpoints, replay deliveries and send test events (also enforced in SQL).
  "webhooks:manage": roles("owner", "admin"),
  // Add, change, test, delete and restore analytics destinations and integrations (also enforced in SQL).
  "integrations:manage": roles("owner", "admin"),
  // The encryption keys' versions and rotations (never a key): those who administer or review security.
  "keys:read": roles("owner", "admin", "security_reviewer"),
  // Rotate the data key, revoke an old version, set the minimum decryption version and the rotation interval.
  "keys:manage": roles("owner", "admin"),
  // The Saturday pre-check on demand; the database holds the same roles (record_wedding_precheck, 0049).
  "precheck:run": roles("owner", "admin", "lead", "on_call"),
  // Renaming the organization and handing it to another member: its owners only.
  "organization:manage": roles("owner"),
};

/** Whether the role has the capability in an environment of this tier (before grants and break-glass). */
export const allows = (role: Role, capability: Capability, tier: Tier): boolean =>
  CAPABILITY_TABLE[capability][role].includes(tier);

/** Whether the role has the capability everywhere (for organization-wide capabilities: whether it has it). */
export const allowsEverywhere = (role: Role, capability: Capability): boolean =>
  TIERS.every((t) => allows(role, capability, t));

/** What each capability lets one do, in words (the UI's reasons, docs/security.md). */
export const CAPABILITY_WORDS: Record<Capability, string> = {
  "value:read": "read values",
  "value:write": "change values",
  "value:admin": "administer values",
  "value:propose": "propose value changes for approval",
  "value:metadata": "see values' metadata and hashes",
  "emergency:open": "break glass",
  "drift:resolve": "resolve drift",
  "variable:create": "create variables",
  "variable:update": "edit variables",
  "variable:delete": "delete variables",
  "variable:purge": "purge deleted variables",
  "environment:manage": "manage environments and sync targets",
  "settings:manage": "change the organization's settings",
  "members:manage": "manage members and access",
  "audit:read": "read the audit trail",
  "metadata:read": "read this organization",
  "approvals:decide": "approve or reject changes",
  "tokens:manage": "create and revoke service tokens",
  "tokens:personal": "sign the CLI in with a personal token",
  "webhooks:manage": "manage webhook endpoints",
  "integrations:manage": "manage analytics destinations and integrations",
  "keys:read": "see the encryption keys and their rotations",
  "keys:manage": "rotate and revoke encryption keys",
  "precheck:run": "run the pre-check before wedding hours",
  "organization:manage": "rename the organization and hand it to another owner",
};
