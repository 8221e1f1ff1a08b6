/**
 * What the role matrix's cases share: the shape of a case and the groups of callers that recur. Values live in
 * staging unless said otherwise: developers write there, on-call may read and propose, viewers read,
 * security reviewers read no values.
 */
import type { Caller, World } from "../role-matrix-world";

/** What a caller gets: the action's success, a refusal for who they are, or another refusal (a code). */
export type Outcome = "ok" | "denied" | `code:${string}`;

export type Case = {
  /** Callers for whom the call succeeds (`{ ok: true }`, a change sent for approval included). */
  allowed: readonly Caller[];
  /** An outcome other than ok/denied for some callers (e.g. a signed-in user's own two-factor actions). */
  outcome?: Partial<Record<Caller, Outcome>>;
  /** The arguments the browser would send, for one caller (a fresh fixture each time). */
  args: (w: World, caller: Caller) => Promise<unknown[]>;
  /** Sign everyone in again first: the action needs a recent re-authentication (step-up). */
  fresh?: boolean;
  /** Set up something every caller's call needs (e.g. wedding hours), and undo it afterwards. */
  around?: (w: World) => Promise<() => Promise<void>>;
};

export const MEMBERS = ["admin", "security_reviewer", "on_call", "developer", "viewer"] as const;
export const SIGNED_IN = [...MEMBERS, "other"] as const;
export const ADMIN = ["admin"] as const;
export const APPROVERS = ["admin", "security_reviewer"] as const;
/** Write or propose a staging value: admins and developers write, on-call proposes (a change request). */
export const STAGING_WRITERS = ["admin", "on_call", "developer"] as const;
export const STAGING_READERS = ["admin", "on_call", "developer", "viewer"] as const;
export const AUDITORS = ["admin", "security_reviewer", "on_call"] as const;

/** Where the server actions live (the role matrix names each `file#export`). */
export const A = "server/actions/";
