import { z } from "zod";
import {
  CONFIG_TYPES,
  type ConfigType,
  configSettings,
  PLATFORM_SPECS,
  PLATFORMS,
  type Platform,
} from "../integrations/platforms";
import { fieldMap, nest, secretValue, typedFields, variableName } from "./connector-fields";
import { checkbox, optionalText, requiredText, safeString, versionNumber } from "./fields";

/** A list from JSON (an array) or from a form (repeated fields, or one field). */
const listed = (v: unknown) => (typeof v === "string" ? [v] : (v ?? []));

/** Rules from a form's JSON text area (blank: none), or as JSON already. */
const jsonRules = z.preprocess((v) => {
  if (typeof v !== "string") return v ?? [];
  if (v.trim() === "") return [];
  try {
    return JSON.parse(v);
  } catch {
    return { invalid: true };
  }
}, z.unknown());

const editable = {
  name: requiredText(100, "Name"),
  isPrimary: checkbox,
  isActive: checkbox,
  settings: fieldMap(z.unknown()),
  /** The feature toggles that are on (checkboxes by name). */
  features: z.preprocess(listed, z.array(safeString(40)).max(20)),
  mappingRules: jsonRules,
  filterRules: jsonRules,
  transformRules: jsonRules,
  secrets: fieldMap(secretValue),
  variables: fieldMap(variableName),
  /** Why, when the change waits for a reviewer (HIGH or CRITICAL). */
  reason: optionalText(500),
};

/** A new integration config: its platform, kind and environment (fixed once made), then what an edit may change. */
export const integrationCreation = z.preprocess(
  nest,
  z.object({
    platform: z.enum(PLATFORMS, { error: "Choose Stripe, HubSpot or QuickBooks" }),
    configType: z.enum(CONFIG_TYPES, { error: "Choose API key, OAuth, webhook or settings" }),
    environment: safeString(64, "Choose an environment").min(1, "Choose an environment"),
    ...editable,
  }),
);
export type IntegrationCreation = z.output<typeof integrationCreation>;

/** An edit of an integration config at the version the form showed. */
export const integrationUpdate = z.preprocess(
  nest,
  z.object({ id: z.uuid(), version: versionNumber(1), ...editable }),
);
export type IntegrationUpdate = z.output<typeof integrationUpdate>;

/** The vault fields of a platform's kind of configuration (none for `settings`). */
export const vaultFieldsOf = (platform: Platform, configType: ConfigType) =>
  PLATFORM_SPECS[platform].vault[configType] ?? [];

const RULE_GROUPS = ["features", "mappingRules", "filterRules", "transformRules"] as const;

/**
 * A config's settings checked by its platform's schema (sync, features, rules; errors under `settings.<field>`,
 * `features.<name>`, `mappingRules.<n>.<field>`…) and its vault fields by its kind of configuration.
 */
export function typedIntegration(
  platform: Platform,
  configType: ConfigType,
  input: Pick<
    IntegrationCreation,
    "settings" | "features" | "mappingRules" | "filterRules" | "transformRules" | "secrets" | "variables"
  >,
) {
  const raw = {
    ...input.settings,
    features: Object.fromEntries(input.features.map((f) => [f, true])),
    mappingRules: input.mappingRules,
    filterRules: input.filterRules,
    transformRules: input.transformRules,
  };
  const parsed = configSettings(platform).safeParse(raw);
  return typedFields(
    PLATFORM_SPECS[platform].label,
    parsed,
    vaultFieldsOf(platform, configType),
    input,
    RULE_GROUPS,
  );
}

/** A config named by its id (delete, restore, check now). */
export const integrationRef = z.object({ id: z.uuid(), reason: optionalText(500) });
