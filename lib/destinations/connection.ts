import type { DestinationType } from "./types";

/**
 * A destination's connection test (seed 003 `testConnection`): one cheap request to the provider with the
 * destination's settings and keys, and how its answer reads. Pure: the server sends the request under the
 * outbound policy and stores the outcome. Nothing is recorded in the provider's analytics where the provider
 * has a validation endpoint (GA4's debug endpoint, PostHog's flags endpoint, Meta's Graph read).
 */

/** Providers' base addresses where a destination has no host setting: the real ones unless configured. */
export type ProviderBases = { ga4: string; metaGraph: string; amplitude: string; amplitudeEu: string };

export const DEFAULT_BASES: ProviderBases = {
  ga4: "https://www.google-analytics.com",
  metaGraph: "https://graph.facebook.com",
  amplitude: "https://api2.amplitude.com",
  amplitudeEu: "https://api.eu.amplitude.com",
};

export const DEFAULT_POSTHOG_HOST = "https://us.i.posthog.com";
export const DEFAULT_MIXPANEL_HOST = "https://api.mixpanel.com";

export type Probe = { url: URL; method: "GET" | "POST"; headers: Record<string, string>; body?: string };

/** Joins a base address and a path (a base may carry a path prefix of its own). */
const at = (base: string, path: string) => new URL(base.replace(/\/+$/, "") + path);

const json = (body: unknown) => ({
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body),
});

const DISTINCT_ID = "ringbearer-connection-test";

/**
 * The request that tests a destination, or a reason it cannot be tested yet (a key it needs has no value in its
 * environment). `console` needs no request: it is always reachable.
 */
export function connectionProbe(
  type: DestinationType,
  settings: Record<string, unknown>,
  keys: Record<string, string | undefined>,
  bases: ProviderBases,
): { probe: Probe } | { missing: string } | { local: true } {
  const need = (field: string) => keys[field] ?? null;
  switch (type) {
    case "console":
      return { local: true };
    case "posthog": {
      const key = need("apiKey");
      if (!key) return { missing: "apiKey" };
      const host = (settings.host as string | undefined) ?? DEFAULT_POSTHOG_HOST;
      return {
        probe: {
          url: at(host, "/flags/?v=2"),
          method: "POST",
          ...json({ api_key: key, distinct_id: DISTINCT_ID }),
        },
      };
    }
    case "google-analytics": {
      const secret = need("apiSecret");
      if (!secret) return { missing: "apiSecret" };
      const url = at(bases.ga4, "/debug/mp/collect");
      url.searchParams.set("measurement_id", String(settings.measurementId));
      url.searchParams.set("api_secret", secret);
      return {
        probe: {
          url,
          method: "POST",
          ...json({ client_id: DISTINCT_ID, events: [{ name: "ringbearer_connection_test" }] }),
        },
      };
    }
    case "meta-pixel": {
      const token = need("accessToken");
      if (!token) return { missing: "accessToken" };
      const version = (settings.apiVersion as string | undefined) ?? "v19.0";
      const url = at(bases.metaGraph, `/${version}/${settings.pixelId}`);
      url.searchParams.set("fields", "id,name");
      return {
        probe: {
          url,
          method: "GET",
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        },
      };
    }
    case "mixpanel": {
      const secret = need("apiSecret");
      if (!secret) return { missing: "apiSecret" };
      const host = (settings.apiHost as string | undefined) ?? DEFAULT_MIXPANEL_HOST;
      // A validation of the secret by a read of no events: basic auth with the secret as the user.
      const url = at(host, "/import");
      url.searchParams.set("strict", "1");
      return {
        probe: {
          url,
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${secret}:`).toString("base64")}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: "[]",
        },
      };
    }
    case "amplitude": {
      const key = need("apiKey");
      if (!key) return { missing: "apiKey" };
      const base = settings.serverZone === "EU" ? bases.amplitudeEu : bases.amplitude;
      return {
        probe: { url: at(base, "/2/httpapi"), method: "POST", ...json({ api_key: key, events: [] }) },
      };
    }
  }
}

/** At most this much of a provider's message is kept (it may echo what it was sent: never a key). */
const MESSAGE_MAX = 200;

/** Whether a provider's answer means the destination is connected, with the error to show when not. */
export function judgeAnswer(
  type: DestinationType,
  status: number,
  body: unknown,
): { connected: true } | { connected: false; error: string } {
  const text = (m: string) => ({ connected: false as const, error: m.slice(0, MESSAGE_MAX) });
  if (status === 401 || status === 403) return text(`The provider refused the key (HTTP ${status})`);
  if (status === 429) return text("The provider is rate limiting this key (HTTP 429): try again later");
  if (status >= 500) return text(`The provider failed (HTTP ${status})`);
  if (type === "google-analytics" && status === 200) {
    const messages = (body as { validationMessages?: { description?: string }[] })?.validationMessages ?? [];
    return messages.length === 0
      ? { connected: true }
      : text(`GA4 refused the test event: ${messages[0]?.description ?? "invalid"}`);
  }
  // An empty batch passes authentication before it is refused for being empty.
  if (type === "mixpanel" && status === 400) return { connected: true };
  if (type === "amplitude" && status === 400) {
    const error = (body as { error?: string })?.error ?? "";
    // An empty batch with a valid key is "missing events"; with a bad key it is "invalid api_key".
    return /api[_ ]?key/i.test(error) ? text("Amplitude refused the API key") : { connected: true };
  }
  if (status >= 200 && status < 300) return { connected: true };
  return text(`The provider answered HTTP ${status}`);
}
