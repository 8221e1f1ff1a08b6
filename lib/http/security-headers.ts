/**
 * The HTTP security headers of every answer (framework-free: the proxy applies them per request, and
 * next.config.mjs applies the static ones to the files the proxy never sees). See docs/security.md.
 */

/** One year, subdomains included: sent only on answers that reached the browser over https. */
export const HSTS = "max-age=31536000; includeSubDomains";

/** JSON, CSV, `.env` and event streams: nothing in them may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Browser features the console never uses, denied to it and to anything embedded in it. Only names that
 * current browsers recognise (an unknown one makes Chrome log an error on every page).
 */
export const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/**
 * `same-origin`: no Referer ever leaves for another site, while the console's own form posts keep their
 * Origin header (with `no-referrer` a browser sends `Origin: null` on a form post, which the Origin check
 * must refuse). The invitation page's URL holds its token, so it sends no Referer at all.
 */
export function referrerPolicyFor(pathname: string): "same-origin" | "no-referrer" {
  return pathname.startsWith("/invite/") ? "no-referrer" : "same-origin";
}

/** Headers that do not depend on the request, for every answer (static files included). */
export const STATIC_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": PERMISSIONS_POLICY,
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");

export type PagePolicy = { nonce: string; dev: boolean; https: boolean };

/**
 * The policy of an HTML page. Scripts run only with this response's nonce (Next puts it on its own tags)
 * or when loaded by such a script ('strict-dynamic': Next's chunk loader); no inline handler, no eval
 * (development adds 'unsafe-eval' for React's error overlay). Style elements need the nonce too; style
 * *attributes* are allowed ('unsafe-inline' in style-src-attr only), because React renders `style={…}` as
 * attributes (the virtualized matrix, recharts, Next's error pages) and a nonce cannot cover an attribute.
 * Images: same origin and data: (the two-factor QR code). connect-src 'self' covers the SSE event stream.
 */
export function pageCsp({ nonce, dev, https }: PagePolicy): string {
  const directives = [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Next's development server injects style elements without a nonce.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Whether the browser reached the console over https: the configured public URL says so, or a trusted
 * proxy (only then is X-Forwarded-Proto believed) says the client's connection was https.
 */
export function servedOverHttps(input: {
  publicUrl: string | undefined;
  forwardedProto: string | null;
  trustForwarded: boolean;
}): boolean {
  if (input.publicUrl?.toLowerCase().startsWith("https:")) return true;
  if (!input.trustForwarded || !input.forwardedProto) return false;
  return input.forwardedProto.split(",")[0].trim().toLowerCase() === "https";
}

/** Every security header of one answer: the static ones, the referrer policy, the CSP, HSTS over https. */
export function securityHeaders(input: {
  pathname: string;
  https: boolean;
  /** The page's policy; absent for API answers, which get the strict one. */
  csp?: string;
}): Record<string, string> {
  return {
    ...STATIC_HEADERS,
    "Referrer-Policy": referrerPolicyFor(input.pathname),
    "Content-Security-Policy": input.csp ?? API_CSP,
    ...(input.https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}
