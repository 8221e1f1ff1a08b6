import "server-only";
import type { z } from "zod";
import { toAppError } from "@/db/errors";
import type { MemberDeclared } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import { log } from "../log";
import { checkOperator } from "../ops/operators";
import { type CurrentUser, currentUser, type Member } from "../session";
import { errorResponse, parseQuery } from "./input";
import { memberOf } from "./member";

/**
 * Route handlers through the same builder as actions (./action.ts): `export const GET = orgRoute({ … })`.
 * Organization → session → membership and the declared capability (the capabilities table) → query
 * parsing (parseQuery) → handler; an AppError anywhere is answered as JSON with its status, anything else
 * is logged and answered as `internal` (500), never with a stack or a value.
 */

type Params = Record<string, string | string[] | undefined>;
/** What Next passes a route handler; its params hold the dynamic segments of the path. */
export type RouteContext = { params: Promise<Params> };
export type Handler = (request: Request, context: RouteContext) => Promise<Response>;

async function answer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return errorResponse(error);
    log.error({ err: raw }, "route failed");
    return errorResponse(new AppError("internal"));
  }
}

/** A route of one organization's members. */
export function orgRoute<S extends z.ZodType = z.ZodType<Record<string, never>>>(def: {
  capability: MemberDeclared;
  /** The organization's slug; by default the `[org]` segment of the path. */
  org?: (request: Request, params: Params) => string;
  query?: S;
  /** Query parameters the handler reads itself (left out of `query`). */
  omit?: string[];
  run: (call: { request: Request; params: Params; member: Member; query: z.infer<S> }) => Promise<Response>;
}): Handler {
  return (request, context) =>
    answer(async () => {
      const params = await context.params;
      const org = def.org ? def.org(request, params) : String(params.org ?? "");
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      const { member } = await memberOf(user, org, def.capability);
      const query = def.query ? parseQuery(request, def.query, def.omit) : ({} as z.infer<S>);
      return def.run({ request, params, member, query });
    });
}

/** A route of the signed-in person about themselves, in no organization (their own data). */
export function userRoute(def: {
  capability: "signed-in";
  run: (request: Request, user: CurrentUser) => Promise<Response>;
}): Handler {
  return (request) =>
    answer(async () => {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      return def.run(request, user);
    });
}

/** A route of installation operators (`npm run ops:grant`), in no organization: the operator console's. */
export function opsRoute(def: {
  capability: "operator";
  run: (request: Request) => Promise<Response>;
}): Handler {
  return (request) =>
    answer(async () => {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      if (!(await checkOperator({ userId: user.id }))) throw new AppError("forbidden");
      return def.run(request);
    });
}

/** A route open to anyone (health, next-auth's own endpoints): the handler authorizes itself if it must. */
export function publicRoute(def: {
  capability: "public";
  run: (request: Request, context: RouteContext) => Promise<Response>;
}): (request?: Request, context?: RouteContext) => Promise<Response> {
  // Both optional: a public handler that reads neither can be called bare (tests call the health check so).
  return (request, context) =>
    answer(() => def.run(request as Request, context ?? { params: Promise.resolve({}) }));
}
