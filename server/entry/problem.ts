import "server-only";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { problemCode } from "@/lib/problems";
import { log } from "../log";

/** RFC 9457 problem details: a stable `code` (lib/problems.ts), the message, field errors; never a value. */
export function problemResponse(error: AppError, headers: Record<string, string> = {}): Response {
  const code = problemCode(error.code);
  const all: Record<string, string> = {
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
    ...headers,
  };
  if (error.status === 401)
    all["WWW-Authenticate"] =
      code === "unauthorized"
        ? `Bearer realm="ringbearer"`
        : `Bearer realm="ringbearer", error="invalid_token"`;
  return new Response(
    JSON.stringify({
      type: `urn:ringbearer:problem:${code}`,
      title: error.message,
      status: error.status,
      code,
      ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
    }),
    { status: error.status, headers: all },
  );
}

/**
 * Runs a machine API handler: an AppError (or what the database refused, typed by toAppError) becomes its
 * problem; anything else is logged and answered `internal` (500) without a stack or a value.
 */
export async function answerProblems(what: string, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) {
      // A limit that knows when it ends says so (a token's minute adds its own in token-route).
      const wait = error.meta?.retryAfter;
      return problemResponse(error, typeof wait === "number" ? { "Retry-After": String(wait) } : {});
    }
    log.error({ err: raw }, `${what} failed`);
    return problemResponse(new AppError("internal"));
  }
}
