"use server";

import { getDb } from "@/db/client";
import { acceptInvitation, createAccountAndAccept } from "@/db/mutations/invitations";
import { inviteLimit, isLimited, recordFailure } from "@/db/mutations/rate-limits";
import { AppError } from "@/lib/errors";
import { type AcceptStatus, INVITATION_GONE } from "@/lib/invitations";
import { joinInput, newAccountInput } from "@/lib/validation/invitations";
import { runPublicAction } from "@/server/public-action";
import { currentUser, requestInfo } from "@/server/session";

/** Turns a refused acceptance into a typed error with the sentence the page shows. */
async function refuse(status: AcceptStatus, ip: string | undefined): Promise<never> {
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
    case "account_exists":
      throw new AppError("validation", {
        form: ["An account already exists for this email: sign in to accept the invitation."],
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
export async function joinInvitationAction(_prev: unknown, form: FormData) {
  return runPublicAction(joinInput, form, async ({ token }) => {
    const user = await currentUser();
    if (!user) throw new AppError("unauthorized");
    const info = await guard();
    const result = await acceptInvitation(
      getDb(),
      { userId: user.id, sessionId: user.sessionId, ...info },
      token,
    );
    if (result.status !== "accepted" && result.status !== "already_member")
      await refuse(result.status, info.ip);
    return { slug: result.slug ?? "" };
  });
}

/**
 * Creates the invited account and joins; the browser then signs in with the password it just sent (it never
 * comes back from the server).
 */
export async function createInvitedAccountAction(_prev: unknown, form: FormData) {
  return runPublicAction(newAccountInput, form, async (input) => {
    if (await currentUser())
      throw new AppError("validation", { form: ["Sign out first to create a new account."] });
    const info = await guard();
    const result = await createAccountAndAccept(getDb(), info, input);
    if (result.status !== "accepted") await refuse(result.status, info.ip);
    return { slug: result.slug ?? "", email: result.email ?? "" };
  });
}
