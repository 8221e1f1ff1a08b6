import { z } from "zod";
import { checkbox, optionalText, safeString } from "../validation/fields";

/**
 * Analytics destinations (seed 003): where a supplier's site sends analytics events, per organization and
 * environment, and which consent each needs. Key-like fields live in the vault as variables of the environment
 * (issue 15's rule: one vault, one audit, one gate); a destination keeps only its plain settings, typed here.
 */
export const DESTINATION_TYPES = [
  "posthog",
  "meta-pixel",
  "google-analytics",
  "mixpanel",
  "amplitude",
  "console",
] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const CONNECTION_STATUSES = ["connected", "failed", "unknown", "testing"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A key-like field of a destination, kept as a variable: its default variable name, and who may receive it from
 * the runtime API — `client` (a browser needs it: a pixel id's counterpart, a project key) or `server` only (a
 * Conversions API token, a Measurement Protocol secret).
 */
export type VaultField = {
  field: string;
  label: string;
  variable: string;
  exposure: "client" | "server";
  /** Written by the console (an OAuth grant's tokens), not typed into a form. */
  managed?: boolean;
};

/**
 * A provider's address: https (plain http only to a host the operator opened in RINGBEARER_OUTBOUND_ALLOW, which
 * the server checks: a local fake provider in tests, a proxy on-premises). No credentials, query or fragment.
 */
const webAddress = (label: string) =>
  optionalText(255).refine((v) => v === undefined || /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(v), {
    message: `${label} must be an https:// address`,
  });
const sides = { enableServerSide: checkbox, enableClientSide: checkbox };

/** Each type's plain settings (a zod schema: clear field errors) and its vault fields. */
export const DESTINATIONS: Record<
  DestinationType,
  { label: string; settings: z.ZodType; vault: VaultField[] }
> = {
  posthog: {
    label: "PostHog",
    settings: z.object({ host: webAddress("Host"), ...sides }),
    vault: [{ field: "apiKey", label: "Project API key", variable: "POSTHOG_API_KEY", exposure: "client" }],
  },
  "meta-pixel": {
    label: "Meta Pixel",
    settings: z.object({
      pixelId: safeString(32, "Enter the pixel id").regex(/^\d{5,20}$/, "A pixel id is digits only"),
      testEventCode: optionalText(64),
      apiVersion: optionalText(16).refine((v) => v === undefined || /^v\d{1,3}\.\d$/.test(v), {
        message: "An API version looks like v19.0",
      }),
      ...sides,
    }),
    vault: [
      {
        field: "accessToken",
        label: "Conversions API access token",
        variable: "META_CAPI_ACCESS_TOKEN",
        exposure: "server",
      },
    ],
  },
  "google-analytics": {
    label: "Google Analytics 4",
    settings: z.object({
      measurementId: safeString(20, "Enter the measurement id").regex(
        /^G-[A-Z0-9]{4,16}$/,
        "A measurement id looks like G-XXXXXXX",
      ),
      enableEnhancedMeasurement: checkbox,
      anonymizeIp: checkbox,
      ...sides,
    }),
    vault: [
      {
        field: "apiSecret",
        label: "Measurement Protocol API secret",
        variable: "GA4_API_SECRET",
        exposure: "server",
      },
    ],
  },
  mixpanel: {
    label: "Mixpanel",
    settings: z.object({ apiHost: webAddress("API host"), ...sides }),
    vault: [
      {
        field: "projectToken",
        label: "Project token",
        variable: "MIXPANEL_PROJECT_TOKEN",
        exposure: "client",
      },
      { field: "apiSecret", label: "API secret", variable: "MIXPANEL_API_SECRET", exposure: "server" },
    ],
  },
  amplitude: {
    label: "Amplitude",
    settings: z.object({
      serverZone: z.enum(["US", "EU"], { error: "Choose US or EU" }).default("US"),
      ...sides,
    }),
    vault: [
      { field: "apiKey", label: "API key", variable: "AMPLITUDE_API_KEY", exposure: "client" },
      { field: "secretKey", label: "Secret key", variable: "AMPLITUDE_SECRET_KEY", exposure: "server" },
    ],
  },
  console: {
    label: "Console (development)",
    settings: z.object({
      level: z.enum(["debug", "info"], { error: "Choose debug or info" }).default("info"),
    }),
    vault: [],
  },
};

/** A destination type's settings, parsed: the data, or the errors by field. */
export function parseDestinationSettings(type: DestinationType, input: unknown) {
  return DESTINATIONS[type].settings.safeParse(input ?? {});
}
