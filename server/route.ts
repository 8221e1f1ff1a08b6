import "server-only";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { log } from "./log";
import { currentUser, type Member, memberContextOf } from "./session";

/** JSON error for route handlers: the code and message, never a stack or a value. */
export function errorResponse(error: AppError) {
  return Response.json(
    {
      error: { code: error.code, message: error.message, ...(error.meta ? { meta: error.meta } : {}) },
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    },
    { status: error.status, headers: { "Cache-Control": "no-store" } },
  );
}

/** Route handlers' wrapper: a live session and membership of the organization, typed errors as 4xx/5xx. */
export async function withMember(org: string, handler: (member: Member) => Promise<Response>) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthorized");
    const member = await memberContextOf(user, org);
    if (!member) throw new AppError("forbidden");
    return await handler(member);
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return errorResponse(error);
    log.error({ err: raw }, "route failed");
    return errorResponse(new AppError("internal"));
  }
}
