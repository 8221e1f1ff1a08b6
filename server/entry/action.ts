import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { Tx } from "@/db/client";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { isOperator } from "@/db/repos/operators";
import type { MemberDeclared } from "@/lib/declared";
import { type ActionResult, AppError } from "@/lib/errors";
import type { UserContext } from "@/server/auth/mfa";
import { log } from "../log";
import { currentUser, requestInfo } from "../session";
import { failure, type Input, parseInput } from "./input";
import { memberOf } from "./member";

/**
 * The one action builder (server actions; route handlers are its sibling in ./route.ts). Every action is
 * `export const nameAction = orgAction({ … })` (or `orgSteps`, `userAction`, `opsAction`, `publicAction`), and each runs:
 * session (as its kind requires) → input parsing (parseInput: NUL/lone surrogates, then zod) → the declared
 * capability against the capabilities table → a transaction with the RLS context → handler → typed result
 * `{ ok: true, data } | { ok: false, error, fieldErrors? }`. The declaration is required by type; the http
 * test (tests/http/entry-points.test.ts) holds every action and route of the build to this builder.
 */

/** How the browser calls it: `(org, prev, form)` for useActionState, `(org, form)`, `(org, input)`, `(org)`. */
export type Call = "form" | "form-only" | "input" | "none";

type OrgArgs<C extends Call, S extends z.ZodType> = C extends "form"
  ? [org: string, prev: unknown, form: FormData]
  : C extends "form-only"
    ? [org: string, form: FormData]
    : C extends "input"
      ? [org: string, input: z.input<S>]
      : [org: string];

type UserArgs<C extends Call, S extends z.ZodType> = C extends "form"
  ? [prev: unknown, form: FormData]
  : C extends "input"
    ? [input: z.input<S>]
    : [];

/** Where the input is among the arguments (after the organization for organization actions). */
const POSITION: Record<Call, number | null> = { form: 2, "form-only": 1, input: 1, none: null };

/** The input among the arguments (`{}` for `none`); user actions have no organization argument. */
const inputOf = (call: Call, args: unknown[], shift = 0): Input => {
  const at = POSITION[call];
  return at === null ? {} : (args[at - shift] as Input);
};

/** Any failure becomes the typed result; what is not an AppError is logged and answered as `internal`. */
async function settle<R>(
  what: string,
  org: string | undefined,
  run: () => Promise<R>,
): Promise<ActionResult<R>> {
  try {
    return { ok: true, data: await run() };
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return failure(error);
    log.error({ err: error, ...(org ? { org } : {}) }, `${what} failed`);
    return failure(new AppError("internal"));
  }
}

type OrgDef<C extends Call, S extends z.ZodType> = {
  call: C;
  input: S;
  /** What it needs: for every input (or each branch of it: a function of the parsed input). */
  capability: MemberDeclared | ((data: z.infer<S>) => MemberDeclared);
  /** A path under /o/<org> whose layout is revalidated after success. */
  revalidate?: string;
};

async function orgPreamble<S extends z.ZodType>(def: OrgDef<Call, S>, args: unknown[]) {
  const org = args[0] as string;
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized");
  const data = await parseInput(def.input, inputOf(def.call, args));
  const declared = typeof def.capability === "function" ? def.capability(data) : def.capability;
  const { ctx } = await memberOf(user, org, declared);
  return { org, data, ctx };
}

/** An organization's action, in one transaction with the caller's RLS context (its audit row in it). */
export function orgAction<C extends Call, S extends z.ZodType, R>(
  def: OrgDef<C, S> & { run: (tx: Tx, ctx: TenantContext, data: z.infer<S>) => Promise<R> },
): (...args: OrgArgs<C, S>) => Promise<ActionResult<R>> {
  return (...args) =>
    settle("action", (args as unknown[])[0] as string, async () => {
      const { org, data, ctx } = await orgPreamble(def, args as unknown[]);
      const result = await withContext(ctx, (tx) => def.run(tx, ctx, data));
      if (def.revalidate) revalidatePath(`/o/${org}${def.revalidate}`, "layout");
      return result;
    });
}

/**
 * The same for work that talks to the outside world (pushing to a deployment target, scanning it): the
 * handler opens its own short transactions around the network calls, so a sync is visible while it runs
 * and a failure is recorded instead of rolled back.
 */
export function orgSteps<C extends Call, S extends z.ZodType, R>(
  def: OrgDef<C, S> & { run: (ctx: TenantContext, data: z.infer<S>) => Promise<R> },
): (...args: OrgArgs<C, S>) => Promise<ActionResult<R>> {
  return (...args) =>
    settle("action", (args as unknown[])[0] as string, async () => {
      const { org, data, ctx } = await orgPreamble(def, args as unknown[]);
      const result = await def.run(ctx, data);
      if (def.revalidate) revalidatePath(`/o/${org}${def.revalidate}`, "layout");
      return result;
    });
}

/**
 * What a signed-in user does to their own account or as themselves, in no organization (two-factor
 * authentication, step-up, joining by invitation): the handler opens its own transactions, so a refused
 * attempt can be counted against a limit and still stick.
 */
export function userAction<C extends Exclude<Call, "form-only">, S extends z.ZodType, R>(def: {
  call: C;
  input: S;
  capability: "signed-in";
  run: (ctx: UserContext, data: z.infer<S>) => Promise<R>;
}): (...args: UserArgs<C, S>) => Promise<ActionResult<R>> {
  return (...args) =>
    settle("account action", undefined, async () => {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      const data = await parseInput(def.input, inputOf(def.call, args as unknown[], 1));
      return def.run({ userId: user.id, sessionId: user.sessionId, ...(await requestInfo()) }, data);
    });
}

/**
 * The operator console's actions (`/ops`): a live session whose user is an installation operator, checked in
 * the database (app_is_operator(), migration 0044) before the handler runs; the handler checks again in its
 * own transaction and logs what it did in the operations log.
 */
export function opsAction<S extends z.ZodType, R>(def: {
  call: "form";
  input: S;
  capability: "operator";
  run: (ctx: RequestContext, data: z.infer<S>) => Promise<R>;
}): (prev: unknown, form: FormData) => Promise<ActionResult<R>> {
  return (_prev, form) =>
    settle("operator action", undefined, async () => {
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized");
      const data = await parseInput(def.input, form);
      const ctx: RequestContext = { userId: user.id, sessionId: user.sessionId, ...(await requestInfo()) };
      if (!(await withContext({ userId: user.id }, isOperator))) throw new AppError("forbidden");
      const result = await def.run(ctx, data);
      revalidatePath("/ops", "layout");
      return result;
    });
}

/**
 * The few writes open to anyone (creating the invited account): input → handler → the same typed result.
 * The handler authorizes itself (token, rate limit); nothing of the input is logged.
 */
export function publicAction<S extends z.ZodType, R>(def: {
  call: "form";
  input: S;
  capability: "public";
  run: (data: z.infer<S>) => Promise<R>;
}): (prev: unknown, form: FormData) => Promise<ActionResult<R>> {
  return (_prev, form) =>
    settle("public action", undefined, async () => def.run(await parseInput(def.input, form)));
}
