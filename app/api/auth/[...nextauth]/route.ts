import NextAuth from "next-auth";
import { AppError } from "@/lib/errors";
import { authOptions } from "@/server/auth/next-auth";
import { errorResponse } from "@/server/entry/input";
import { publicRoute, type RouteContext } from "@/server/entry/route";
import { log } from "@/server/log";

const nextAuth = NextAuth(authOptions);

/** next-auth's own test of a callback URL: an absolute http(s) URL, or a path on this site. */
function isHttpUrlOrPath(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/** A `callbackUrl` next-auth would answer with a 500 ("server configuration") instead of refusing. */
function badCallbackUrl(request: Request): boolean {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get("callbackUrl");
  const fromCookie = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((c) => c.trim().split("="))
    .find(([name]) => name.endsWith("next-auth.callback-url"))?.[1];
  return [fromQuery, fromCookie && decodeURIComponentSafe(fromCookie)].some(
    (v) => typeof v === "string" && v !== "" && !isHttpUrlOrPath(v, url.origin),
  );
}

const decodeURIComponentSafe = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return "\u0000"; // not a URL either way
  }
};

const refusal = () =>
  errorResponse(
    new AppError("validation", { form: ["The request is not valid (its body or callback URL)."] }),
  );

/**
 * next-auth's handler, except that input it would answer with a 500 — a `callbackUrl` (query or cookie)
 * that is not a URL, a malformed JSON body (SyntaxError), a URL it cannot parse (ERR_INVALID_URL) — is
 * refused as `validation` (422).
 */
async function handler(request: Request, context: RouteContext) {
  if (badCallbackUrl(request)) return refusal();
  try {
    return await nextAuth(request, context as { params: Promise<{ nextauth: string[] }> });
  } catch (error) {
    const invalidUrl = (error as { code?: unknown })?.code === "ERR_INVALID_URL";
    if (!(error instanceof SyntaxError) && !invalidUrl) throw error;
    log.info({ event: "auth_bad_input" }, "next-auth request with malformed input");
    return refusal();
  }
}

/** next-auth's own endpoints (sign-in, session, CSRF) are open to anyone; next-auth checks what it must. */
export const GET = publicRoute({ capability: "public", run: handler });
export const POST = publicRoute({ capability: "public", run: handler });
