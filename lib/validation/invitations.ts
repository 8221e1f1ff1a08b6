import { z } from "zod";
import { INVITATION_TOKEN } from "../invitations";
import { ROLES } from "../roles";
import { requiredText, safeString } from "./fields";

/** An invitation from the Access page: who (email) and as what. */
export const invitationInput = z.object({
  email: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    safeString(320, "Enter an email address").pipe(z.email({ error: "Enter an email address" })),
  ),
  role: z.enum(ROLES, { error: "Choose a role" }),
});

export type InvitationInput = z.infer<typeof invitationInput>;

const token = safeString(100, "This invitation link is not valid").regex(INVITATION_TOKEN, {
  error: "This invitation link is not valid",
});

/** "Join <organization>" as the signed-in user. */
export const joinInput = z.object({ token });

/**
 * Accepting signed out: a name and a password for the invited email (the email is the invitation's, never
 * typed) — a new account's, or the existing account's password.
 */
export const passwordAcceptInput = z
  .object({
    token,
    name: requiredText(255, "Name"),
    password: safeString(1024, "Choose a password").min(12, "At least 12 characters"),
    confirm: safeString(1024, "Repeat the password"),
  })
  .refine((p) => p.password === p.confirm, { path: ["confirm"], message: "The passwords do not match" });
