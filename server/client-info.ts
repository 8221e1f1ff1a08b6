import "server-only";
import { addressFromHeaders, PROXY_TOKEN_HEADER } from "@/lib/client-address";

/**
 * Who is asking, for rate limits, sessions and every audit row: the address the serving wrapper
 * (scripts/serve.mts) worked out from the socket and the trusted proxies, or undefined ("unknown") when the
 * app runs without it. Never a client-supplied header. The one place that reads it.
 */
export function clientInfo(get: (name: string) => string | null | undefined): {
  ip?: string;
  userAgent?: string;
} {
  const ip = addressFromHeaders(get, process.env.RINGBEARER_PROXY_TOKEN);
  const userAgent = get("user-agent")?.slice(0, 500) || undefined;
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

/**
 * Whether the request came through the serving wrapper, which removes forwarding headers (`X-Forwarded-Host`,
 * `-Proto`, …) unless a trusted proxy sent them: only then may they be read.
 */
export function forwardingHeadersTrusted(get: (name: string) => string | null | undefined): boolean {
  const token = process.env.RINGBEARER_PROXY_TOKEN;
  return Boolean(token) && get(PROXY_TOKEN_HEADER) === token;
}
