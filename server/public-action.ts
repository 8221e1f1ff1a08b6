import "server-only";
import type { z } from "zod";
import { toAppError } from "@/db/errors";
import { type ActionResult, AppError } from "@/lib/errors";
import { failure, parseInput } from "./action";
import { log } from "./log";

/**
 * The wrapper for the few writes that cannot go through runAction because the caller is not a member of
 * the organization yet (accepting an invitation, creating the invited account): zod → handler → the same
 * typed result. The handler authorizes itself (token, session, rate limit); nothing is logged of the input.
 */
export async function runPublicAction<S extends z.ZodType, R>(
  schema: S,
  input: FormData,
  handler: (data: z.infer<S>) => Promise<R>,
): Promise<ActionResult<R>> {
  try {
    return { ok: true, data: await handler(await parseInput(schema, input)) };
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return failure(error);
    log.error({ err: error }, "public action failed");
    return failure(new AppError("internal"));
  }
}
