import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { type Declared, passes } from "@/lib/declared";
import { type ActionResult, AppError, messageFor } from "@/lib/errors";
import { UNSAFE_MESSAGE, unsafeInputPaths } from "@/lib/validation/characters";
import { log } from "./log";
import { currentUser, memberContextOf } from "./session";

export type Input = FormData | Record<string, unknown>;

function toObject(input: Input): unknown {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of input.entries())
    if (!k.startsWith("$ACTION")) out[k] = typeof v === "string" ? v : undefined;
  return out;
}

/**
 * zod-parses an action's input; a refusal becomes field errors (`form` for the whole input). Before any
 * schema, a string anywhere in the input (value or key, at any depth) with a NUL byte or a lone surrogate
 * is refused, so no schema can forget it and nothing reaches the database that it would choke on. Async, so
 * a schema may check off the event loop (validation patterns are analysed in a worker thread).
 */
export async function parseInput<S extends z.ZodType>(schema: S, input: Input): Promise<z.infer<S>> {
  const raw = toObject(input);
  const unsafe = unsafeInputPaths(raw);
  if (unsafe.length > 0)
    throw new AppError("validation", Object.fromEntries(unsafe.map((path) => [path, [UNSAFE_MESSAGE]])));
  const parsed = await schema.safeParseAsync(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "form";
    if (!fieldErrors[key]?.includes(issue.message))
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  throw new AppError("validation", fieldErrors);
}

export function failure(error: AppError): ActionResult<never> {
  return {
    ok: false,
    error: {
      code: error.code,
      message: error.message || messageFor(error.code),
      ...(error.meta ? { meta: error.meta } : {}),
    },
    ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
  };
}

/** How an action runs: what it declares it needs (for each input, when its branches differ), what it refreshes. */
export type ActionOptions<D> = {
  /** Checked before the handler: a capability of the caller's role, or membership with the per-row check named. */
  capability: Declared | ((data: D) => Declared);
  revalidate?: string;
};

/**
 * The one path for writes: session → zod → membership → the declared capability → one transaction with the RLS
 * context (the handler writes its audit row in it) → typed result. The domain function checks again (and the
 * per-row permissions); RLS and triggers are the last line.
 */
export async function runAction<S extends z.ZodType, R>(
  org: string,
  schema: S,
  input: Input,
  handler: (tx: Tx, ctx: TenantContext, data: z.infer<S>) => Promise<R>,
  options: ActionOptions<z.infer<S>>,
): Promise<ActionResult<R>> {
  return runSteps(
    org,
    schema,
    input,
    (ctx, data) => withContext(ctx, (tx) => handler(tx, ctx, data)),
    options,
  );
}

/**
 * The same path for work that talks to the outside world (pushing to a deployment target, scanning it): the
 * handler opens its own short transactions around the network calls, so a sync is visible while it runs and
 * a failure is recorded instead of rolled back.
 */
export async function runSteps<S extends z.ZodType, R>(
  org: string,
  schema: S,
  input: Input,
  handler: (ctx: TenantContext, data: z.infer<S>) => Promise<R>,
  options: ActionOptions<z.infer<S>>,
): Promise<ActionResult<R>> {
  try {
    const user = await currentUser();
    if (!user) throw new AppError("unauthorized");
    const parsed = await parseInput(schema, input);
    const member = await memberContextOf(user, org);
    if (!member) throw new AppError("forbidden");
    const declared =
      typeof options.capability === "function" ? options.capability(parsed) : options.capability;
    if (!passes(member.role, declared)) throw new AppError("forbidden");
    const { user: _u, org: _o, emergency: _e, ...ctx } = member;
    const data = await handler(ctx, parsed);
    if (options.revalidate) revalidatePath(`/o/${org}${options.revalidate}`, "layout");
    return { ok: true, data };
  } catch (raw) {
    const error = toAppError(raw);
    if (error instanceof AppError) return failure(error);
    log.error({ err: error, org }, "action failed");
    return failure(new AppError("internal"));
  }
}
