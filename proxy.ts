import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import { type NextRequestWithAuth, withAuth } from "next-auth/middleware";
import { databaseFailing } from "@/db/availability";
import { probeDatabase } from "@/db/probe";
import { PROXY_TOKEN_HEADER } from "@/lib/client-address";
import { checkOrigin, ORIGIN_REFUSED, requestHost } from "@/lib/http/origin-check";
import { isApiPath, newNonce, pageCsp, securityHeaders, servedOverHttps } from "@/lib/http/security-headers";
import { databaseUnavailablePage, UNAVAILABLE_RETRY_SECONDS } from "@/lib/http/unavailable-page";
import { log } from "@/server/log";
import { refuseMalformedRequest } from "@/server/request-guard";

/**
 * Forwarded headers are believed only behind proxies the operator named, and only when the request came through
 * the serving wrapper (scripts/serve.mts), which removes them from every other peer and marks what it passes on
 * with its per-start token. Under a plain `next start` they are never believed.
 */
const trustForwarded = (request: NextRequest) => {
  const token = process.env.RINGBEARER_PROXY_TOKEN;
  return (
    Boolean(process.env.RINGBEARER_TRUSTED_PROXIES?.trim()) &&
    Boolean(token) &&
    request.headers.get(PROXY_TOKEN_HEADER) === token
  );
};

const isConsolePath = (pathname: string) =>
  pathname === "/" ||
  pathname === "/o" ||
  pathname.startsWith("/o/") ||
  pathname === "/ops" ||
  pathname.startsWith("/ops/") ||
  pathname.startsWith("/organizations/");

/** The nonce of a page's CSP (its style element needs it). */
const nonceOf = (csp: string | undefined) => csp && /'nonce-([^']+)'/.exec(csp)?.[1];

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * Every request but static files passes here, before Next and next-auth:
 * 1. a request that can change something must come from the console's own origin, else 403 (nothing runs),
 *    and a malformed one (URL, server action body) is refused with a 4xx;
 * 2. the request goes on with a fresh CSP nonce (Next puts it on its scripts) and, unless proxies are
 *    trusted, `X-Forwarded-Host` pinned to `Host` so Next's own action check and redirects cannot be steered;
 * 3. console paths keep next-auth's redirect of anonymous visitors to the sign-in page, and signed-in users get
 *    a "database unavailable, retrying" page (503) while the database is failing;
 * 4. the answer gets the security headers (lib/http/security-headers.ts).
 */
export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  const trusted = trustForwarded(request);
  const api = isApiPath(pathname);
  const https = servedOverHttps({
    publicUrl: process.env.NEXTAUTH_URL,
    forwardedProto: request.headers.get("x-forwarded-proto"),
    trustForwarded: trusted,
  });
  const host = request.headers.get("host");

  const verdict = checkOrigin({
    method: request.method,
    isApi: api,
    origin: request.headers.get("origin"),
    host: requestHost({
      host,
      forwardedHost: request.headers.get("x-forwarded-host"),
      trustForwarded: trusted,
    }),
  });
  if (!verdict.ok) {
    // Behind a reverse proxy that rewrites Host, every action lands here until the proxy passes Host through
    // or RINGBEARER_TRUSTED_PROXIES names it: the log says which hosts were compared.
    log.warn(
      {
        method: request.method,
        // An invitation's path holds its token, which is never logged.
        path: pathname.startsWith("/invite/") ? "/invite/[token]" : pathname.slice(0, 200),
        reason: verdict.reason,
        origin: request.headers.get("origin")?.slice(0, 200),
        host: host?.slice(0, 200),
      },
      "request refused: origin",
    );
    const refused = NextResponse.json(
      { error: { code: "forbidden", message: ORIGIN_REFUSED } },
      { status: 403, headers: { "Cache-Control": "no-store" } },
    );
    return withHeaders(refused, securityHeaders({ pathname, https }));
  }
  // Malformed URLs and server action bodies (too large, not UTF-8, not what a browser sends) get a 4xx here;
  // Next.js would answer 500.
  const malformed = await refuseMalformedRequest(request);
  if (malformed) return withHeaders(malformed, securityHeaders({ pathname, https }));

  const csp = api
    ? undefined
    : pageCsp({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https });
  const headers = securityHeaders({ pathname, https, csp });
  const forward = () => {
    const forwarded = new Headers(request.headers);
    if (csp) forwarded.set("Content-Security-Policy", csp);
    if (!trusted) {
      if (host) forwarded.set("x-forwarded-host", host);
      else forwarded.delete("x-forwarded-host");
    }
    return NextResponse.next({ request: { headers: forwarded } });
  };

  if (!isConsolePath(pathname)) return withHeaders(forward(), headers);
  // A signed-in user's page while the database is failing: "database unavailable, retrying" (503), not the
  // sign-in page and not an error page. Costs nothing while requests get through (db/availability.ts).
  const signedIn = withAuth(
    async () => {
      // Only page loads: a server action (a POST) runs and answers `unavailable:database` in its own shape.
      const pageLoad = request.method === "GET" || request.method === "HEAD";
      if (pageLoad && databaseFailing() && !(await probeDatabase({ reuse: true })))
        return new NextResponse(databaseUnavailablePage(nonceOf(csp)), {
          status: 503,
          headers: {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "Retry-After": String(UNAVAILABLE_RETRY_SECONDS),
          },
        });
      return forward();
    },
    { pages: { signIn: "/login" } },
  );
  const response = (await signedIn(request as NextRequestWithAuth, event)) ?? forward();
  return withHeaders(response, headers);
}

export const config = {
  // Everything that can render HTML or answer an API call; not the build's static files.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
