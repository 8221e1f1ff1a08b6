import "server-only";
import type { z } from "zod";
import type { MemberDeclared } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import type { ApiCaller } from "../api/caller";
import { clientInfo } from "../client-info";
import { currentUser } from "../session";
import { parseInput, parseQuery, readJsonBody } from "./input";
import { memberOf } from "./member";
import { organizationOf } from "./person-route";
import { answerProblems } from "./problem";
import type { Handler, RouteContext } from "./route";
import { type TokenDeclared, withToken } from "./token-route";

type Params = Record<string, string | string[] | undefined>;

/** What an API route declares: the token access it needs, and the capability a person calling it needs. */
export type ApiDeclared = { token: TokenDeclared; person: MemberDeclared };

/**
 * A route of the machine API that a token or a person's session calls, with the same checks behind it. A request
 * with `Authorization` is a token's (withToken: the token, its access, its minute); one without is a signed-in
 * person's (their organization, `?org=` or their only one → membership and the declared capability), 401
 * `unauthorized` with neither. Then the query and JSON body (at most 64 KB) are zod-parsed and the handler runs
 * with the caller. Refusals are problem+json; anything unexpected is logged and answered `internal` (500).
 */
export function apiRoute<
  S extends z.ZodType = z.ZodType<Record<string, never>>,
  B extends z.ZodType = z.ZodType<Record<string, never>>,
>(def: {
  capability: ApiDeclared;
  query?: S;
  body?: B;
  run: (call: {
    request: Request;
    params: Params;
    caller: ApiCaller;
    ip: string | undefined;
    query: z.infer<S>;
    body: z.infer<B>;
  }) => Promise<Response>;
}): Handler {
  return (request: Request, context: RouteContext) =>
    answerProblems("API route", async () => {
      const params = await context.params;
      const run = async (caller: ApiCaller, ip: string | undefined) => {
        const query = def.query
          ? parseQuery(request, def.query, caller.kind === "person" ? ["org"] : [])
          : ({} as z.infer<S>);
        const body = def.body
          ? await parseInput(def.body, (await readJsonBody(request)) as Record<string, unknown>)
          : ({} as z.infer<B>);
        return def.run({ request, params, caller, ip, query, body });
      };
      if (request.headers.has("authorization"))
        return withToken(request, def.capability.token, (token, ip) => run({ kind: "token", token }, ip));
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      const { ctx } = await memberOf(user, await organizationOf(request, user.id), def.capability.person);
      return run({ kind: "person", ctx }, clientInfo((name) => request.headers.get(name)).ip);
    });
}

/**
 * A route of the machine API open to anyone (starting and polling `ringbearer login`): the handler authorizes
 * itself with what it is sent, and limits itself. JSON body (at most 64 KB) zod-parsed; refusals are problem+json.
 */
export function publicApiRoute<B extends z.ZodType = z.ZodType<Record<string, never>>>(def: {
  capability: "public";
  body?: B;
  run: (call: {
    request: Request;
    params: Params;
    ip: string | undefined;
    body: z.infer<B>;
  }) => Promise<Response>;
}): Handler {
  return (request: Request, context: RouteContext) =>
    answerProblems("public API route", async () => {
      const params = (await context?.params) ?? {};
      const body = def.body
        ? await parseInput(def.body, (await readJsonBody(request)) as Record<string, unknown>)
        : ({} as z.infer<B>);
      return def.run({ request, params, ip: clientInfo((name) => request.headers.get(name)).ip, body });
    });
}
