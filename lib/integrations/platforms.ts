import { z } from "zod";
import type { VaultField } from "../destinations/types";
import { filterRules, mappingRules, transformRules } from "./rules";

/**
 * Integration configs (seed 002 `integration_configs`): a supplier's Stripe, HubSpot and QuickBooks, per environment
 * and kind of configuration. Secrets (API keys, signing secrets, OAuth client secrets and tokens) live in the vault
 * as variables of the environment; a config keeps only its plain settings, typed here per platform.
 */
export const PLATFORMS = ["stripe", "hubspot", "quickbooks"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CONFIG_TYPES = ["api_key", "oauth", "webhook", "settings"] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

export const SYNC_DIRECTIONS = ["inbound", "outbound", "bidirectional"] as const;
export const HEALTH_STATUSES = ["healthy", "degraded", "unhealthy", "unknown"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Each platform's name, the feature toggles it knows, and its vault fields by kind of configuration. */
export const PLATFORM_SPECS: Record<
  Platform,
  { label: string; features: readonly string[]; vault: Partial<Record<ConfigType, VaultField[]>> }
> = {
  stripe: {
    label: "Stripe",
    features: ["syncCustomers", "syncInvoices", "syncPayouts", "syncRefunds"],
    vault: {
      api_key: [
        { field: "secretKey", label: "Secret key", variable: "STRIPE_SECRET_KEY", exposure: "server" },
        {
          field: "publishableKey",
          label: "Publishable key",
          variable: "STRIPE_PUBLISHABLE_KEY",
          exposure: "client",
        },
      ],
      oauth: [
        {
          field: "clientSecret",
          label: "Connect client secret",
          variable: "STRIPE_CONNECT_SECRET",
          exposure: "server",
        },
        {
          field: "accessToken",
          label: "OAuth access token",
          variable: "STRIPE_OAUTH_ACCESS_TOKEN",
          exposure: "server",
          managed: true,
        },
        {
          field: "refreshToken",
          label: "OAuth refresh token",
          variable: "STRIPE_OAUTH_REFRESH_TOKEN",
          exposure: "server",
          managed: true,
        },
      ],
      webhook: [
        {
          field: "signingSecret",
          label: "Webhook signing secret",
          variable: "STRIPE_WEBHOOK_SECRET",
          exposure: "server",
        },
      ],
    },
  },
  hubspot: {
    label: "HubSpot",
    features: ["syncContacts", "syncCompanies", "syncDeals"],
    vault: {
      api_key: [
        {
          field: "accessToken",
          label: "Private app access token",
          variable: "HUBSPOT_ACCESS_TOKEN",
          exposure: "server",
        },
      ],
      oauth: [
        {
          field: "clientSecret",
          label: "App client secret",
          variable: "HUBSPOT_CLIENT_SECRET",
          exposure: "server",
        },
        {
          field: "accessToken",
          label: "OAuth access token",
          variable: "HUBSPOT_OAUTH_ACCESS_TOKEN",
          exposure: "server",
          managed: true,
        },
        {
          field: "refreshToken",
          label: "OAuth refresh token",
          variable: "HUBSPOT_OAUTH_REFRESH_TOKEN",
          exposure: "server",
          managed: true,
        },
      ],
      webhook: [
        {
          field: "clientSecret",
          label: "App client secret (signs webhooks)",
          variable: "HUBSPOT_CLIENT_SECRET",
          exposure: "server",
        },
      ],
    },
  },
  quickbooks: {
    label: "QuickBooks",
    features: ["syncCustomers", "syncInvoices", "syncPayments"],
    vault: {
      oauth: [
        {
          field: "clientSecret",
          label: "App client secret",
          variable: "QUICKBOOKS_CLIENT_SECRET",
          exposure: "server",
        },
        {
          field: "accessToken",
          label: "OAuth access token",
          variable: "QUICKBOOKS_OAUTH_ACCESS_TOKEN",
          exposure: "server",
          managed: true,
        },
        {
          field: "refreshToken",
          label: "OAuth refresh token",
          variable: "QUICKBOOKS_OAUTH_REFRESH_TOKEN",
          exposure: "server",
          managed: true,
        },
      ],
      webhook: [
        {
          field: "verifierToken",
          label: "Webhook verifier token",
          variable: "QUICKBOOKS_WEBHOOK_VERIFIER",
          exposure: "server",
        },
      ],
    },
  },
};

/** A config's plain settings for its platform: sync, feature toggles, and mapping, filter and transform rules. */
export function configSettings(platform: Platform) {
  const features = PLATFORM_SPECS[platform].features;
  return z.object({
    syncIntervalMinutes: z.coerce
      .number({ error: "Enter minutes from 5 to 1440" })
      .int("Enter whole minutes")
      .min(5, "Sync at most every 5 minutes")
      .max(1440, "Sync at least once a day")
      .default(60),
    syncDirection: z
      .enum(SYNC_DIRECTIONS, { error: `Choose ${SYNC_DIRECTIONS.join(", ")}` })
      .default("inbound"),
    features: z
      .record(z.string(), z.boolean({ error: "A feature is on or off" }))
      .default({})
      .superRefine((toggles, ctx) => {
        for (const name of Object.keys(toggles))
          if (!features.includes(name))
            ctx.addIssue({
              code: "custom",
              path: [name],
              message: `${PLATFORM_SPECS[platform].label} has no feature ${name}`,
            });
      }),
    /** An OAuth app's client id (not a secret; its secret is a vault field). */
    clientId: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z
        .string()
        .trim()
        .max(255, "At most 255 characters")
        .regex(/^[\x21-\x7e]+$/, "A client id has no spaces")
        .optional(),
    ),
    /** Scopes to ask for (space-separated); the platform's defaults when empty. */
    scopes: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
      z
        .string()
        .trim()
        .max(1000, "At most 1000 characters")
        .regex(/^[\x20-\x7e]+$/, "Scopes are plain text")
        .optional(),
    ),
    mappingRules: mappingRules.default([]),
    filterRules: filterRules.default([]),
    transformRules: transformRules.default([]),
  });
}
