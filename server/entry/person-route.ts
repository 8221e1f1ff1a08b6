import "server-only";
import type { z } from "zod";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { organizationsFor } from "@/db/repos/memberships";
import type { MemberDeclared } from "@/lib/declared";
import { AppError } from "@/lib/errors";
import { currentUser, type Member } from "../session";
import { parseInput, parseQuery, readJsonBody } from "./input";
import { memberOf } from "./member";
import { answerProblems } from "./problem";
import type { Handler, RouteContext } from "./route";

type Params = Record<string, string | string[] | undefined>;

/**
 * The organization a person's API call is about: `?org=<slug>`, or the only one they belong to. Someone in
 * several organizations must name one.
 */
export async function organizationOf(request: Request, userId: string): Promise<string> {
  const named = new URL(request.url).searchParams.get("org");
  if (named) return named;
  const orgs = await organizationsFor(userId);
  if (orgs.length === 1) return orgs[0].slug;
  if (orgs.length === 0) throw new AppError("forbidden");
  throw new AppError("validation", {
    org: [`You belong to several organizations: add ?org= with one of ${orgs.map((o) => o.slug).join(", ")}`],
  });
}

/**
 * A route of the machine API that a signed-in person calls with their session (creating and revoking tokens):
 * session → organization (`?org=` or their only one) → membership and the declared capability → JSON body
 * (`body`) and query (`query`) zod-parsed → `run` in one RLS transaction. Refusals are problem+json (401
 * `unauthorized` without a session). Cross-site browsers are stopped at the door: a state-changing API call
 * that carries an Origin must name this console (proxy.ts), and one without an Origin is not a browser's.
 */
export function personRoute<
  B extends z.ZodType = z.ZodType<Record<string, never>>,
  Q extends z.ZodType = z.ZodType<Record<string, never>>,
>(def: {
  capability: MemberDeclared;
  body?: B;
  query?: Q;
  run: (call: {
    tx: Tx;
    ctx: TenantContext;
    member: Member;
    params: Params;
    body: z.infer<B>;
    query: z.infer<Q>;
  }) => Promise<Response>;
}): Handler {
  return (request: Request, context: RouteContext) =>
    answerProblems("person API route", async () => {
      const params = await context.params;
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      const org = await organizationOf(request, user.id);
      const { ctx, member } = await memberOf(user, org, def.capability);
      const query = def.query ? parseQuery(request, def.query, ["org"]) : ({} as z.infer<Q>);
      const body = def.body
        ? await parseInput(def.body, (await readJsonBody(request)) as Record<string, unknown>)
        : ({} as z.infer<B>);
      return withContext(ctx, (tx) => def.run({ tx, ctx, member, params, body, query }));
    });
}
