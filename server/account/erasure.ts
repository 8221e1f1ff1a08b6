import { type RequestContext, withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { type Erased, eraseUserRow } from "@/db/repos/erasure";
import { userEmail } from "@/db/repos/users";
import { AppError } from "@/lib/errors";
import { requireRecentAuth } from "@/server/auth/step-up";
import { log } from "@/server/log";

/**
 * A person erases their own account (GDPR, issue 17; docs/security.md, "Erasure"): after a step-up, with their
 * e-mail address typed again. In one transaction (erase_user, migration 0052) they leave every organization
 * (each one's audit trail records it), their sessions, CLI sign-ins and personal tokens end, and every audit row
 * loses their addresses and browsers while every chain still verifies. Refused while they are an
 * organization's only owner.
 */
export async function eraseMyAccount(ctx: RequestContext, input: { confirm: string }): Promise<Erased> {
  const erased = await withContext({ ...ctx, organizationId: undefined }, async (tx) => {
    await requireRecentAuth(tx, ctx);
    const email = await userEmail(tx, ctx.userId);
    if (!email) throw new AppError("unauthorized");
    if (input.confirm.toLowerCase() !== email.toLowerCase())
      throw new AppError("validation", { confirm: ["Type your e-mail address exactly"] });
    return eraseUserRow(tx, ctx.userId);
  }).catch((error: unknown) => {
    throw toAppError(error);
  });
  log.info({ event: "account.erased", erased }, "an account was erased");
  return erased;
}
