import "server-only";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { problemCode } from "@/lib/problems";
import { clientInfo } from "../client-info";
import { log } from "../log";
import { authenticateServiceToken, type ServiceTokenContext } from "../tokens/service-tokens";
import { parseQuery } from "./input";
import type { Handler, RouteContext } from "./route";

type Params = Record<string, string | string[] | undefined>;

/** What a machine route declares: reading values with a token, or writing them (a read-write token). */
export type TokenDeclared = "token:read" | "token:write";

/** RFC 9457 problem details: a stable `code` (lib/problems.ts), the message, field errors; never a value. */
export function problemResponse(error: AppError): Response {
  const code = problemCode(error.code);
  const headers: Record<string, string> = {
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
  };
  if (error.status === 401) headers["WWW-Authenticate"] = `Bearer error="invalid_token"`;
  return new Response(
    JSON.stringify({
      type: `urn:ringbearer:problem:${code}`,
      title: error.message,
      status: error.status,
      code,
      ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
    }),
    { status: error.status, headers },
  );
}

const BEARER = /^Bearer ([!-~]{1,200})$/;

/**
 * A route of the machine API (`/api/v1/…`): `Authorization: Bearer rb_st_…` → the token (keyed hash, expiry,
 * revocation, address ranges) → the declared access → query parsing → handler. Every refusal is problem+json;
 * anything unexpected is logged and answered `internal` (500) without a stack or a value.
 */
export function tokenRoute<S extends z.ZodType = z.ZodType<Record<string, never>>>(def: {
  capability: TokenDeclared;
  query?: S;
  run: (call: {
    request: Request;
    params: Params;
    token: ServiceTokenContext;
    ip: string | undefined;
    query: z.infer<S>;
  }) => Promise<Response>;
}): Handler {
  return async (request: Request, context: RouteContext) => {
    try {
      const params = await context.params;
      const presented = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
      if (!presented) throw new AppError("token:invalid");
      const { ip } = clientInfo((name) => request.headers.get(name));
      const token = await authenticateServiceToken(getDb(), presented, ip ?? null);
      if (def.capability === "token:write" && token.access !== "read-write") throw new AppError("forbidden");
      const query = def.query ? parseQuery(request, def.query) : ({} as z.infer<S>);
      return await def.run({ request, params, token, ip, query });
    } catch (raw) {
      const error = toAppError(raw);
      if (error instanceof AppError) return problemResponse(error);
      log.error({ err: raw }, "machine route failed");
      return problemResponse(new AppError("internal"));
    }
  };
}
