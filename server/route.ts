import "server-only";
import type { z } from "zod";
import { toAppError } from "@/db/errors";
import { type Declared, passes } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import { UNSAFE_MESSAGE, unsafeInputPaths } from "@/lib/validation/characters";
import { log } from "./log";
import { isWellFormedUrl } from "./request-guard";
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

/**
 * A route's query string, zod-parsed: malformed percent-encoding, NUL or lone surrogates anywhere are
 * refused first (as in the action builder), then the schema's refusals become field errors (422).
 * `omit` names parameters the route reads itself.
 */
export function parseQuery<S extends z.ZodType>(
  request: Request,
  schema: S,
  omit: string[] = [],
): z.infer<S> {
  if (!isWellFormedUrl(request.url))
    throw new AppError("validation", { form: ["The address is not valid (bad percent-encoding)."] });
  const params: Record<string, string> = {};
  for (const [k, v] of new URL(request.url).searchParams) if (!omit.includes(k)) params[k] = v;
  const unsafe = unsafeInputPaths(params);
  if (unsafe.length > 0)
    throw new AppError("validation", Object.fromEntries(unsafe.map((p) => [p, [UNSAFE_MESSAGE]])));
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  throw new AppError("validation", fieldErrors);
}

/**
 * Route handlers' wrapper: a live session, membership of the organization and the declared capability (as for
 * actions: lib/declared.ts), typed errors as 4xx/5xx.
 */
export async function withMember(
  org: string,
  capability: Declared,
  handler: (member: Member) => Promise<Response>,
) {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthorized");
    const member = await memberContextOf(user, org);
    if (!member) throw new AppError("forbidden");
    if (!passes(member.role, capability)) throw new AppError("forbidden");
    return await handler(member);
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return errorResponse(error);
    log.error({ err: raw }, "route failed");
    return errorResponse(new AppError("internal"));
  }
}
