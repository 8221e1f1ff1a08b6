import type { Probe } from "../destinations/connection";
import type { ConfigType, HealthStatus, Platform } from "./platforms";

/**
 * Health of an integration config (seed 002): one cheap authenticated read at the provider — Stripe's balance,
 * HubSpot's account details, QuickBooks' company info — and how its answer reads. Pure: the server sends it
 * under the outbound policy, records the history and moves the circuit breaker.
 */

/** Providers' API base addresses: the real ones unless configured (RINGBEARER_STRIPE_API_URL and friends). */
export type PlatformBases = Record<Platform, string>;
export const DEFAULT_PLATFORM_BASES: PlatformBases = {
  stripe: "https://api.stripe.com",
  hubspot: "https://api.hubapi.com",
  quickbooks: "https://quickbooks.api.intuit.com",
};

/** An answer slower than this is DEGRADED; none within the timeout is UNHEALTHY. */
export const HEALTH = { slowMs: 2_000, timeoutMs: 10_000, threshold: 3, resetSeconds: 300 } as const;

/** The vault field whose value authenticates a check, by kind of configuration. */
const CREDENTIAL: Record<Platform, Partial<Record<ConfigType, string>>> = {
  stripe: { api_key: "secretKey", oauth: "accessToken" },
  hubspot: { api_key: "accessToken", oauth: "accessToken" },
  quickbooks: { oauth: "accessToken" },
};

/** Whether a kind of configuration has a health check (webhook and settings configs have no credential to try). */
export const isChecked = (platform: Platform, configType: ConfigType) =>
  Boolean(CREDENTIAL[platform][configType]);

const at = (base: string, path: string) => new URL(base.replace(/\/+$/, "") + path);

/**
 * The request that checks a config, or the field it needs that has no value. QuickBooks names the company in
 * the path (its realm id, from the OAuth connection).
 */
export function healthProbe(
  platform: Platform,
  configType: ConfigType,
  keys: Record<string, string | undefined>,
  bases: PlatformBases,
  realmId?: string | null,
): { probe: Probe } | { missing: string } | { unchecked: true } {
  const field = CREDENTIAL[platform][configType];
  if (!field) return { unchecked: true };
  const credential = keys[field];
  if (!credential) return { missing: field };
  const headers = { authorization: `Bearer ${credential}`, accept: "application/json" };
  switch (platform) {
    case "stripe":
      return { probe: { url: at(bases.stripe, "/v1/balance"), method: "GET", headers } };
    case "hubspot":
      return { probe: { url: at(bases.hubspot, "/account-info/v3/details"), method: "GET", headers } };
    case "quickbooks": {
      if (!realmId) return { missing: "realmId" };
      const realm = encodeURIComponent(realmId);
      return {
        probe: {
          url: at(bases.quickbooks, `/v3/company/${realm}/companyinfo/${realm}`),
          method: "GET",
          headers,
        },
      };
    }
  }
}

export type HealthReading = { status: HealthStatus; message: string };

/**
 * What an answer (or none) means: 2xx in time HEALTHY; 2xx but slow, or 429, DEGRADED; 401/403 (the credential
 * is refused), 5xx, another 4xx, a timeout or no connection UNHEALTHY.
 */
export function readHealth(
  answer: { status: number; latencyMs: number } | { failure: "timeout" | "connect" },
): HealthReading {
  if ("failure" in answer)
    return {
      status: "unhealthy",
      message:
        answer.failure === "timeout"
          ? `No answer within ${HEALTH.timeoutMs / 1000} seconds`
          : "Could not connect to the provider",
    };
  const { status, latencyMs } = answer;
  if (status === 401 || status === 403)
    return { status: "unhealthy", message: `The provider refused the credential (HTTP ${status})` };
  if (status === 429) return { status: "degraded", message: "Rate limited by the provider (HTTP 429)" };
  if (status >= 500) return { status: "unhealthy", message: `The provider failed (HTTP ${status})` };
  if (status < 200 || status >= 300)
    return { status: "unhealthy", message: `The provider answered HTTP ${status}` };
  if (latencyMs > HEALTH.slowMs) return { status: "degraded", message: `Slow: answered in ${latencyMs} ms` };
  return { status: "healthy", message: `Answered in ${latencyMs} ms` };
}
