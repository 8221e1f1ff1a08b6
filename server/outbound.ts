import { type Allowlist, parseAllowlist } from "@/lib/net/outbound-policy";

let cached: { raw: string; allow: Allowlist } | undefined;

/**
 * The operator's outbound allowlist, RINGBEARER_OUTBOUND_ALLOW (validated at start by server/env.ts): hosts and
 * ranges the console may reach beyond public addresses. Read on each use, so every connection follows the
 * configuration in force (tests change it); parsed once per distinct value.
 */
export function outboundAllowlist(): Allowlist {
  const raw = process.env.RINGBEARER_OUTBOUND_ALLOW ?? "";
  if (cached?.raw !== raw) cached = { raw, allow: parseAllowlist(raw) };
  return cached.allow;
}
