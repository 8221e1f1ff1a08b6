import {
  CONFIG_TYPES,
  type ConfigType,
  PLATFORM_SPECS,
  PLATFORMS,
  type Platform,
  SYNC_DIRECTIONS,
} from "@/lib/integrations/platforms";
import { vaultFieldsOf } from "@/lib/validation/integrations";

/**
 * What the integration form draws for each platform, from lib/integrations/platforms.ts: its feature toggles
 * (in words) and its vault fields per kind of configuration. Built on the server and handed to the client form
 * as plain data.
 */

export type VaultFieldSpec = {
  field: string;
  label: string;
  variable: string;
  exposure: "client" | "server";
  /** Written by the console (an OAuth grant's tokens), never typed into the form. */
  managed?: boolean;
};

export type PlatformSpec = {
  platform: Platform;
  label: string;
  features: { name: string; label: string }[];
  vault: Partial<Record<ConfigType, VaultFieldSpec[]>>;
};

export const KIND_LABELS: Record<ConfigType, string> = {
  api_key: "API key",
  oauth: "OAuth",
  webhook: "Webhook (inbound events)",
  settings: "Settings only",
};

export const DIRECTION_LABELS: Record<(typeof SYNC_DIRECTIONS)[number], string> = {
  inbound: "Inbound: from the provider",
  outbound: "Outbound: to the provider",
  bidirectional: "Both ways",
};

/** "syncCustomers" → "Sync customers". */
export const featureLabel = (name: string) => {
  const words = name.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Every platform's form: its features and its vault fields by kind. */
export function platformSpecs(): PlatformSpec[] {
  return PLATFORMS.map((platform) => ({
    platform,
    label: PLATFORM_SPECS[platform].label,
    features: PLATFORM_SPECS[platform].features.map((name) => ({ name, label: featureLabel(name) })),
    vault: Object.fromEntries(
      CONFIG_TYPES.map((kind) => [kind, vaultFieldsOf(platform, kind).map((f) => ({ ...f }))]),
    ),
  }));
}

export type FormSpec = {
  platforms: PlatformSpec[];
  kinds: { value: ConfigType; label: string }[];
  directions: { value: string; label: string }[];
};

/** Everything the form offers, as plain data for the client. */
export const formSpec = (): FormSpec => ({
  platforms: platformSpecs(),
  kinds: CONFIG_TYPES.map((value) => ({ value, label: KIND_LABELS[value] })),
  directions: SYNC_DIRECTIONS.map((value) => ({ value, label: DIRECTION_LABELS[value] })),
});
