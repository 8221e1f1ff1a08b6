"use server";

import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { type AcceptStatus, INVITATION_GONE } from "@/lib/invitations";
import { joinInput, passwordAcceptInput } from "@/lib/validation/invitations";
import { acceptInvitation, acceptWithPassword } from "@/server/access/invitations";
import { inviteLimit, isLimited, recordFailure } from "@/server/auth/rate-limits";
import { publicAction, userAction } from "@/server/entry/action";
import { currentUser, requestInfo } from "@/server/session";

/** Turns a refused acceptance into a typed error with the sentence the page shows. */
async function refuse(
  status: AcceptStatus | "invalid" | "rate_limited" | "totp_required",
  ip: string | undefined,
): Promise<never> {
  switch (status) {
    case "unknown":
      await recordFailure(getDb(), inviteLimit(ip));
      throw new AppError("gone:invitation", { form: [INVITATION_GONE.unknown] });
    case "used":
    case "revoked":
    case "expired":
      throw new AppError("gone:invitation", { form: [INVITATION_GONE[status]] });
    case "wrong_email":
      throw new AppError("forbidden", {
        form: ["This invitation is for another email address than the one you are signed in with."],
      });
    case "invalid":
      throw new AppError("validation", {
        password: [
          "This password could not be used to accept. If this email already has a Ringbearer account, enter that account's password.",
        ],
      });
    case "rate_limited":
      throw new AppError("rate_limited");
    case "totp_required":
      throw new AppError("unauthorized", {
        form: ["Two-factor authentication is on for this account: sign in with your code, then accept."],
      });
    default:
      throw new AppError("internal");
  }
}

async function guard() {
  const info = await requestInfo();
  if (await isLimited(getDb(), inviteLimit(info.ip))) throw new AppError("rate_limited");
  return info;
}

/** "Join <organization>": the signed-in user accepts an invitation made for their email. */
export const joinInvitationAction = userAction({
  call: "form",
  input: joinInput,
  capability: "signed-in",
  run: async (ctx, { token }) => {
    const info = await guard();
    const result = await acceptInvitation(
      getDb(),
      { userId: ctx.userId, sessionId: ctx.sessionId, ...info },
      token,
    );
    if (result.status !== "accepted" && result.status !== "already_member")
      await refuse(result.status, info.ip);
    return { slug: result.slug ?? "" };
  },
});

/**
 * The signed-out visitor's one form: creates the invited account, or proves the existing one's password like
 * a sign-in (server/access/invitations.ts, acceptWithPassword), and joins; the browser then signs in with the
 * password it just sent (it never comes back from the server). The answers do not tell which it was.
 */
export const acceptWithPasswordAction = publicAction({
  call: "form",
  input: passwordAcceptInput,
  capability: "public",
  run: async (input) => {
    if (await currentUser())
      throw new AppError("validation", { form: ["Sign out first to accept this way."] });
    const info = await guard();
    const result = await acceptWithPassword(getDb(), info, input);
    if (result.status !== "accepted") await refuse(result.status, info.ip);
    return { slug: result.slug ?? "", email: result.email ?? "" };
  },
});
