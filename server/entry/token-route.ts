import "server-only";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { clientInfo } from "../client-info";
import { authenticateServiceToken, type ServiceTokenContext } from "../tokens/service-tokens";
import { takeTokenRequest } from "../tokens/token-limits";
import { parseInput, parseQuery, readJsonBody } from "./input";
import { answerProblems, problemResponse } from "./problem";
import type { Handler, RouteContext } from "./route";

type Params = Record<string, string | string[] | undefined>;

/**
 * What a machine route declares for a token: any token (who it is; the analytics destinations, whose answer
 * depends on the access), reading values (not a client token), or writing them (a read-write token).
 */
export type TokenDeclared = "token:any" | "token:read" | "token:write";

const BEARER = /^Bearer ([!-~]{1,200})$/;

/**
 * One call with the token a request presents: `Authorization: Bearer rb_st_…` → the token (keyed hash, expiry,
 * revocation, address ranges) → the declared access → one request of the token's minute (counted while the call
 * goes on; asCaller waits for it before anything is audited or committed) → `call`. A request over the limit is
 * answered 429 with Retry-After whatever else it would have been.
 */
export async function withToken(
  request: Request,
  declared: TokenDeclared,
  call: (token: ServiceTokenContext, ip: string | undefined) => Promise<Response>,
): Promise<Response> {
  const presented = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!presented) throw new AppError("token:invalid");
  const { ip } = clientInfo((name) => request.headers.get(name));
  const token = await authenticateServiceToken(getDb(), presented, ip ?? null);
  if (declared === "token:write" && token.access !== "read-write") throw new AppError("forbidden");
  if (declared === "token:read" && token.access === "client") throw new AppError("forbidden");
  const allowance = takeTokenRequest(getDb(), token.tokenId);
  allowance.catch(() => {});
  const overLimit = async () => {
    const wait = await allowance;
    return wait === null
      ? null
      : problemResponse(new AppError("rate_limited"), { "Retry-After": String(wait) });
  };
  try {
    const response = await call({ ...token, allowance }, ip);
    return (await overLimit()) ?? response;
  } catch (error) {
    const refused = await overLimit();
    if (refused) return refused;
    throw error;
  }
}

/**
 * A route of the machine API only a token calls (`whoami`): the token (withToken) → query and JSON body (at most
 * 64 KB) zod-parsed → handler. Every refusal is problem+json; anything unexpected is logged and answered
 * `internal` (500) without a stack or a value. Routes a person may call too are apiRoute's.
 */
export function tokenRoute<
  S extends z.ZodType = z.ZodType<Record<string, never>>,
  B extends z.ZodType = z.ZodType<Record<string, never>>,
>(def: {
  capability: TokenDeclared;
  query?: S;
  body?: B;
  run: (call: {
    request: Request;
    params: Params;
    token: ServiceTokenContext;
    ip: string | undefined;
    query: z.infer<S>;
    body: z.infer<B>;
  }) => Promise<Response>;
}): Handler {
  return (request: Request, context: RouteContext) =>
    answerProblems("machine route", async () => {
      const params = await context.params;
      return withToken(request, def.capability, async (token, ip) => {
        const query = def.query ? parseQuery(request, def.query) : ({} as z.infer<S>);
        const body = def.body
          ? await parseInput(def.body, (await readJsonBody(request)) as Record<string, unknown>)
          : ({} as z.infer<B>);
        return def.run({ request, params, token, ip, query, body });
      });
    });
}
