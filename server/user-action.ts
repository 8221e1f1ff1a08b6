import "server-only";
import type { z } from "zod";
import { toAppError } from "@/db/errors";
import type { UserContext } from "@/db/mutations/mfa";
import { type ActionResult, AppError } from "@/lib/errors";
import { failure, type Input, parseInput } from "./action";
import { log } from "./log";
import { currentUser, requestInfo } from "./session";

/**
 * The sibling of `runAction` for what a user does to their own account, in no organization (two-factor
 * authentication, step-up re-authentication): session → zod → handler → typed result. The handler opens its
 * own transactions, so a refused attempt can be counted against the sign-in limit and still stick.
 */
export async function runUserAction<S extends z.ZodType, R>(
  schema: S,
  input: Input,
  handler: (ctx: UserContext, data: z.infer<S>) => Promise<R>,
): Promise<ActionResult<R>> {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthorized");
    const data = await parseInput(schema, input);
    const ctx: UserContext = {
      userId: user.id,
      sessionId: user.sessionId,
      ...(await requestInfo()),
    };
    return { ok: true, data: await handler(ctx, data) };
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return failure(error);
    log.error({ err: error }, "account action failed");
    return failure(new AppError("internal"));
  }
}
