import { z } from "zod";
import { DESTINATION_TYPES, DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { checkbox } from "@/lib/validation/fields";

/**
 * What the destination form draws for each type, read from the type's zod settings schema (its shape): a
 * checkbox for each boolean, a select for each enum (with its default), a text field otherwise (required when
 * the schema refuses it empty). Built on the server and handed to the client form as plain data.
 */

export type SettingField = {
  name: string;
  label: string;
  kind: "text" | "checkbox" | "select";
  required: boolean;
  options?: string[];
  defaultValue?: string;
  hint?: string;
};

export type TypeSpec = {
  type: DestinationType;
  label: string;
  settings: SettingField[];
  vault: { field: string; label: string; variable: string; exposure: "client" | "server" }[];
};

/** Words for the settings' names (a name not here is spelt out from its camelCase). */
const WORDS: Record<string, { label: string; hint?: string }> = {
  host: { label: "Host", hint: "https, e.g. https://eu.i.posthog.com (the US cloud if empty)" },
  apiHost: {
    label: "API host",
    hint: "https, e.g. https://api-eu.mixpanel.com (api.mixpanel.com if empty)",
  },
  pixelId: { label: "Pixel ID", hint: "Digits only, from Events Manager" },
  testEventCode: {
    label: "Test event code",
    hint: "e.g. TEST12345: events show under Test events",
  },
  apiVersion: { label: "Graph API version", hint: "e.g. v19.0 (the default if empty)" },
  measurementId: { label: "Measurement ID", hint: "e.g. G-XXXXXXX" },
  enableEnhancedMeasurement: { label: "Enhanced measurement" },
  anonymizeIp: { label: "Anonymize IP addresses" },
  enableServerSide: { label: "Send events from the server" },
  enableClientSide: { label: "Send events from the browser" },
  serverZone: { label: "Server zone" },
  level: { label: "Log level" },
};

const spelt = (name: string) => {
  const words = name.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function settingField(name: string, schema: z.ZodType): SettingField {
  const words = WORDS[name] ?? { label: spelt(name) };
  const base = { name, label: words.label, hint: words.hint };
  if (schema === checkbox) return { ...base, kind: "checkbox", required: false };
  const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodEnum) {
    const fallback = schema instanceof z.ZodDefault ? schema.def.defaultValue : undefined;
    return {
      ...base,
      kind: "select",
      required: true,
      options: (inner.options as (string | number)[]).map(String),
      defaultValue: typeof fallback === "string" ? fallback : undefined,
    };
  }
  return { ...base, kind: "text", required: !schema.safeParse(undefined).success };
}

/** Every type's form: its settings fields in the schema's order and its vault fields. */
export function typeSpecs(): TypeSpec[] {
  return DESTINATION_TYPES.map((type) => {
    const { label, settings, vault } = DESTINATIONS[type];
    const shape = settings instanceof z.ZodObject ? (settings.shape as Record<string, z.ZodType>) : {};
    return {
      type,
      label,
      settings: Object.entries(shape).map(([name, schema]) => settingField(name, schema)),
      vault: vault.map((f) => ({ ...f })),
    };
  });
}
