/**
 * Cross-site request forgery at the door: a request that can change something (any method but GET and
 * HEAD) must come from a page of the console itself, i.e. its Origin header names the host the request
 * was sent to. Framework-free; the proxy applies it before Next (and next-auth) see the request.
 */

export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

export const ORIGIN_REFUSED =
  "This request did not come from this console's own pages (its Origin header is missing or names another site). Nothing was changed.";

export type OriginVerdict = { ok: true } | { ok: false; reason: "missing_origin" | "origin_mismatch" };

/**
 * The host the client addressed. `X-Forwarded-Host` is believed only when the operator configured trusted
 * proxies (`RINGBEARER_TRUSTED_PROXIES`; the server then drops forwarded headers from any other peer);
 * otherwise anyone could name the host their forged Origin is compared with.
 */
export function requestHost(input: {
  host: string | null;
  forwardedHost: string | null;
  trustForwarded: boolean;
}): string | null {
  if (input.trustForwarded && input.forwardedHost) {
    const first = input.forwardedHost.split(",")[0].trim();
    if (first) return first;
  }
  return input.host;
}

/** `host[:port]` as a URL of that scheme spells it (lower case, default port dropped), or null. */
function normalHost(scheme: string, host: string): string | null {
  try {
    const url = new URL(`${scheme}//${host}`);
    return url.host === "" || url.pathname !== "/" || url.username || url.search ? null : url.host;
  } catch {
    return null;
  }
}

/**
 * Page paths (server actions, forms): the Origin must be present and name the request's host.
 * API paths: scripts and machine clients send no Origin and are let through to their own authentication
 * (next-auth's CSRF token for sign-in, tokens for machines); a browser always sends one on these methods,
 * so when present it must match too.
 */
export function checkOrigin(input: {
  method: string;
  isApi: boolean;
  origin: string | null;
  host: string | null;
}): OriginVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return { ok: true };
  if (input.origin === null) return input.isApi ? { ok: true } : { ok: false, reason: "missing_origin" };
  if (input.origin === "null") return { ok: false, reason: "missing_origin" };
  let origin: URL;
  try {
    origin = new URL(input.origin);
  } catch {
    return { ok: false, reason: "origin_mismatch" };
  }
  if (origin.protocol !== "http:" && origin.protocol !== "https:")
    return { ok: false, reason: "origin_mismatch" };
  const host = input.host === null ? null : normalHost(origin.protocol, input.host);
  return host !== null && host === origin.host ? { ok: true } : { ok: false, reason: "origin_mismatch" };
}
