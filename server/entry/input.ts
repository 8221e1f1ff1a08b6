import "server-only";
import type { z } from "zod";
import { type ActionResult, AppError, messageFor } from "@/lib/errors";
import { UNSAFE_MESSAGE, unsafeInputPaths } from "@/lib/validation/characters";
import { isWellFormedUrl } from "../request-guard";

export type Input = FormData | Record<string, unknown>;

/** A form's fields as an object; a name sent more than once (checkboxes) becomes the list of its values. */
function toObject(input: Input): unknown {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const k of new Set(input.keys())) {
    if (k.startsWith("$ACTION")) continue;
    const values = input.getAll(k).map((v) => (typeof v === "string" ? v : undefined));
    out[k] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function fieldErrorsOf(issues: z.core.$ZodIssue[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.join(".") || "form";
    if (!fieldErrors[key]?.includes(issue.message))
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  return fieldErrors;
}

const refuseUnsafe = (raw: unknown) => {
  const unsafe = unsafeInputPaths(raw);
  if (unsafe.length > 0)
    throw new AppError("validation", Object.fromEntries(unsafe.map((path) => [path, [UNSAFE_MESSAGE]])));
};

/**
 * zod-parses an action's input; a refusal becomes field errors (`form` for the whole input). Before any
 * schema, a string anywhere in the input (value or key, at any depth) with a NUL byte or a lone surrogate
 * is refused, so no schema can forget it and nothing reaches the database that it would choke on. Async, so
 * a schema may check off the event loop (validation patterns are analysed in a worker thread).
 */
export async function parseInput<S extends z.ZodType>(schema: S, input: Input): Promise<z.infer<S>> {
  const raw = toObject(input);
  refuseUnsafe(raw);
  const parsed = await schema.safeParseAsync(raw);
  if (parsed.success) return parsed.data;
  throw new AppError("validation", fieldErrorsOf(parsed.error.issues));
}

/**
 * A route's query string, zod-parsed: malformed percent-encoding, NUL or lone surrogates anywhere are
 * refused first (as for actions), then the schema's refusals become field errors (422).
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
  refuseUnsafe(params);
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  throw new AppError("validation", fieldErrorsOf(parsed.error.issues));
}

/** An action's refusal, typed: the code, its message, field errors. */
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

/** The largest JSON body a machine API call may send. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** A request's JSON body (UTF-8, at most MAX_JSON_BODY_BYTES): `too_large`, or `validation` when not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readTextBody(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation", { form: ["The body is not JSON."] });
  }
}

/**
 * A request's body as UTF-8 text, exactly as sent (a signature is computed over these bytes), at most
 * MAX_JSON_BODY_BYTES: `too_large`, or `validation` when not UTF-8.
 */
export async function readTextBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw new AppError("too_large");
  // Read as it arrives and stop at the limit: a body sent without a length (chunked) is never held whole.
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > MAX_JSON_BODY_BYTES) {
      await reader?.cancel().catch(() => {});
      throw new AppError("too_large");
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("validation", { form: ["The body is not UTF-8 text."] });
  }
}
