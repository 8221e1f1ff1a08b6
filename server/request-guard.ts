/**
 * Refuses malformed requests before Next.js routes or decodes them, where Next itself would answer 500:
 * a path or query that is not valid percent-encoded UTF-8 (or carries NUL), and server action bodies that
 * are too large, not UTF-8, not parseable, or not something React's `decodeReply` can decode. Called first
 * by `proxy.ts`; the refusal is a JSON error with a code, like the API's.
 */
import { type ErrorCode, messageFor, statusFor } from "@/lib/errors";
import { ACTION_BODY_LIMIT_BYTES } from "@/lib/limits";
import { type Fields, fetchActionBodyProblem, formActionBodyProblem } from "@/lib/server-action-body";
import { hasUnsafeCharacters } from "@/lib/validation/characters";

function refuse(code: ErrorCode, message: string, status = statusFor(code)) {
  return Response.json(
    { error: { code, message: message || messageFor(code) } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** Decodes each `/`-segment and `&`/`=`-part of the raw URL; false if one is malformed or carries NUL. */
export function isWellFormedUrl(rawUrl: string): boolean {
  const at = rawUrl.indexOf("://");
  const pathStart = at === -1 ? 0 : rawUrl.indexOf("/", at + 3);
  const rest = pathStart === -1 ? "/" : rawUrl.slice(pathStart);
  const hash = rest.indexOf("#");
  const [path, query = ""] = (hash === -1 ? rest : rest.slice(0, hash)).split(/\?(.*)/s);
  const pieces = [...path.split("/"), ...query.split(/[&=]/).map((p) => p.replace(/\+/g, " "))];
  try {
    return pieces.every((p) => !hasUnsafeCharacters(decodeURIComponent(p)));
  } catch {
    return false; // URIError: a stray %, or bytes that are not UTF-8
  }
}

const isMultipart = (contentType: string | null) => contentType?.startsWith("multipart/form-data") ?? false;

async function fieldsOf(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<Fields | null> {
  try {
    const form = await new Response(new Blob([bytes]), {
      headers: { "content-type": contentType },
    }).formData();
    const fields: Fields = new Map();
    for (const [name, value] of form.entries())
      if (!fields.has(name)) fields.set(name, typeof value === "string" ? value : null);
    return fields;
  } catch {
    return null;
  }
}

/** A POST Next.js treats as a server action: a `Next-Action` header, or a multipart form (no JavaScript). */
async function actionBodyRefusal(request: Request): Promise<Response | null> {
  const contentType = request.headers.get("content-type");
  const fetchAction = request.headers.has("next-action");
  if (request.method !== "POST" || (!fetchAction && !isMultipart(contentType))) return null;
  const tooLarge = () =>
    refuse("too_large", `The request is larger than ${ACTION_BODY_LIMIT_BYTES / 1024 / 1024} MB.`);
  if (Number(request.headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT_BYTES) return tooLarge();
  // A body sent without a length (chunked) reaches the proxy cut at the limit (proxyClientMaxBodySize):
  // cut JSON or a cut multipart form does not parse, so it is refused below rather than decoded.
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > ACTION_BODY_LIMIT_BYTES) return tooLarge();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse("validation", "The request body is not valid UTF-8.", 400);
  }
  let problem: string | null;
  if (isMultipart(contentType)) {
    const fields = await fieldsOf(bytes, contentType as string);
    if (!fields) return refuse("validation", "The request body is not a valid multipart form.", 400);
    problem = fetchAction ? fetchActionBodyProblem({ fields }) : formActionBodyProblem(fields);
  } else problem = fetchActionBodyProblem({ text });
  return problem ? refuse("validation", `${problem}.`, 400) : null;
}

/** The guard `proxy.ts` runs first: a response refusing the request, or null to let it through. */
export async function refuseMalformedRequest(request: Request): Promise<Response | null> {
  if (!isWellFormedUrl(request.url))
    return refuse("validation", "The address is not valid (bad percent-encoding or characters).", 400);
  return actionBodyRefusal(request);
}
