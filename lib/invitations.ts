import { randomBytes } from "node:crypto";
import type { Role } from "./roles";

/**
 * Invitation links. The token is 32 random bytes (base64url, 43 characters): 256 bits nobody can guess. Only a
 * keyed hash of it is stored (an HMAC under a key derived from the master key, db/vault.ts `invitationHash`), like a
 * service token's, so a copy of the table alone cannot be checked against a link; the link is shown once to the
 * inviter.
 */
export const INVITATION_DAYS = 7;
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new invitation token (its keyed hash is what is stored). */
export const newInvitationToken = (): string => randomBytes(32).toString("base64url");

export const invitationLink = (origin: string, token: string): string =>
  `${origin.replace(/\/+$/, "")}/invite/${token}`;

/** The same rule as changing a role: only an owner makes (or invites) an owner. */
export const canInviteAs = (inviter: Role, role: Role): boolean => role !== "owner" || inviter === "owner";

/** What accepting can come to (the SQL function accept_invitation returns the first seven). */
export type AcceptStatus =
  | "accepted"
  | "already_member"
  | "used"
  | "revoked"
  | "expired"
  | "wrong_email"
  | "unknown";

/** What the invitation page says for an invitation that cannot be accepted (any more). */
export const INVITATION_GONE: Record<"used" | "revoked" | "expired" | "unknown", string> = {
  used: "This invitation has already been used. Ask an admin for a new one if you still need access.",
  revoked: "This invitation was withdrawn. Ask an admin for a new one if you still need access.",
  expired: `This invitation has expired (links last ${INVITATION_DAYS} days). Ask an admin for a new one.`,
  unknown: "This invitation link is not valid. Check that you copied all of it, or ask for a new one.",
};
