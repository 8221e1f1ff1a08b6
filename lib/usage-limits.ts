/**
 * Usage limits (issue 17; docs/operations.md, "Usage and limits"). Counts are refused past their limit by the
 * database (migration 0053); daily counts and storage are warned about only: a read is never refused, an event
 * never dropped. The installation's defaults are DEFAULT_LIMITS, each replaced where RINGBEARER_LIMITS names it
 * ("variables=20000,members=100"), written at each start; an operator sets an organization's own on /ops/usage.
 */
export const LIMITS = [
  { key: "variables", label: "variables", enforced: true },
  { key: "environments", label: "environments", enforced: true },
  { key: "members", label: "members", enforced: true },
  { key: "service_tokens", label: "active service tokens", enforced: true },
  { key: "api_requests_per_day", label: "API requests today (UTC)", enforced: false },
  { key: "webhook_deliveries_per_day", label: "webhook deliveries today (UTC)", enforced: false },
  { key: "storage_bytes", label: "bytes of stored values", enforced: false },
] as const;

export type LimitKey = (typeof LIMITS)[number]["key"];

/** The installation's defaults (migration 0053's), for whatever RINGBEARER_LIMITS does not name. */
export const DEFAULT_LIMITS: Record<LimitKey, number> = {
  variables: 100_000,
  environments: 50,
  members: 500,
  service_tokens: 1_000,
  api_requests_per_day: 10_000_000,
  webhook_deliveries_per_day: 1_000_000,
  storage_bytes: 10 * 1024 ** 3,
};
export const LIMIT_KEYS = LIMITS.map((l) => l.key) as LimitKey[];
export const limitLabel = (key: string) => LIMITS.find((l) => l.key === key)?.label ?? key;

/** The part of a limit in use from which the console warns. */
export const WARN_AT = 0.8;
export type UsageLevel = "ok" | "warning" | "reached";

export function usageLevel(used: number, max: number): UsageLevel {
  if (used >= max) return "reached";
  return used >= max * WARN_AT ? "warning" : "ok";
}

/** RINGBEARER_LIMITS: `key=number` pairs, comma-separated; a string naming the problem when it is not that. */
export function parseLimits(text: string | undefined): Partial<Record<LimitKey, number>> | string {
  const limits: Partial<Record<LimitKey, number>> = {};
  if (!text?.trim()) return limits;
  for (const part of text.split(",")) {
    const [key, value, ...rest] = part.split("=").map((s) => s.trim());
    if (!LIMIT_KEYS.includes(key as LimitKey) || rest.length > 0)
      return `has "${part.trim()}": use ${LIMIT_KEYS.join(", ")} as key=number, comma-separated`;
    if (!/^[1-9]\d{0,14}$/.test(value ?? "")) return `${key} must be a whole number above 0`;
    limits[key as LimitKey] = Number(value);
  }
  return limits;
}

/** The message of a creation refused at a limit: which limit, and what to do. */
export const limitMessage = (key: string, max: number) =>
  `This organization has reached its limit of ${max.toLocaleString("en-GB")} ${limitLabel(key)}. Nothing was created: remove some, or ask the installation's operator to raise the limit.`;
