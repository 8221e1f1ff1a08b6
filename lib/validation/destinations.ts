import { z } from "zod";
import { requiredConsent } from "../destinations/consent";
import { DESTINATION_TYPES, DESTINATIONS, type DestinationType } from "../destinations/types";
import { checkbox, optionalText, requiredText, safeString, versionNumber } from "./fields";
import { VARIABLE_NAME } from "./variables";

/** A list from JSON (an array) or from a form (repeated fields, or one field). */
const listed = (v: unknown) => (typeof v === "string" ? [v] : (v ?? []));

const GROUPS = ["settings", "secrets", "variables"] as const;

/**
 * A form's flat fields (`settings.host`, `secrets.apiKey`, `variables.apiKey`) as nested objects, so field
 * errors come back under the names the form used. JSON input may nest them already.
 */
function nest(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const [group, field, ...rest] = key.split(".");
    if ((GROUPS as readonly string[]).includes(group) && field && rest.length === 0) {
      const into = (out[group] ??= {}) as Record<string, unknown>;
      if (typeof into === "object" && into !== null) into[field] = value;
    } else out[key] = value;
  }
  return out;
}

const fieldMap = <T extends z.ZodType>(value: T) => z.record(safeString(40), value).default({});

/** A new value for a vault field (blank: keep the one there is). */
const secretValue = z.preprocess((v) => (typeof v === "string" ? v.trim() : v), safeString(8192));
const variableName = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z.union([
    z.literal(""),
    safeString(255).regex(
      VARIABLE_NAME,
      "Use UPPER_SNAKE_CASE: a capital letter, then capitals, digits or _",
    ),
  ]),
);

const editable = {
  name: requiredText(100, "Name"),
  description: optionalText(500),
  requiredConsent: z.preprocess(listed, requiredConsent),
  enabled: checkbox,
  testMode: checkbox,
  settings: fieldMap(z.unknown()),
  secrets: fieldMap(secretValue),
  variables: fieldMap(variableName),
  /** Why, when the change waits for a reviewer (HIGH or CRITICAL). */
  reason: optionalText(500),
};

/** A new destination: its type and environment (fixed once made), then what an edit may change too. */
export const destinationCreation = z.preprocess(
  nest,
  z.object({
    type: z.enum(DESTINATION_TYPES, { error: "Choose a destination type" }),
    environment: safeString(64, "Choose an environment").min(1, "Choose an environment"),
    ...editable,
  }),
);
export type DestinationCreation = z.output<typeof destinationCreation>;

/** An edit of a destination at the version the form showed. */
export const destinationUpdate = z.preprocess(
  nest,
  z.object({ id: z.uuid(), version: versionNumber(1), ...editable }),
);
export type DestinationUpdate = z.output<typeof destinationUpdate>;

/**
 * A type's settings and vault fields checked together: the settings parsed by the type's schema, errors under
 * `settings.<field>`; a vault field the type does not have, under `secrets.<field>` or `variables.<field>`.
 */
export function typedDestination(
  type: DestinationType,
  input: Pick<DestinationCreation, "settings" | "secrets" | "variables">,
):
  | {
      ok: true;
      settings: Record<string, unknown>;
      secrets: Record<string, string>;
      variables: Record<string, string>;
    }
  | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const parsed = DESTINATIONS[type].settings.safeParse(input.settings);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = ["settings", ...issue.path.map(String)].join(".");
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
  const fields = new Set(DESTINATIONS[type].vault.map((f) => f.field));
  for (const group of ["secrets", "variables"] as const)
    for (const field of Object.keys(input[group]))
      if (!fields.has(field))
        errors[`${group}.${field}`] = [`${DESTINATIONS[type].label} has no field ${field}`];
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const given = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""));
  return {
    ok: true,
    settings: parsed.data as Record<string, unknown>,
    secrets: given(input.secrets),
    variables: given(input.variables),
  };
}

/** A destination named by its id (delete, restore, test). */
export const destinationRef = z.object({ id: z.uuid(), reason: optionalText(500) });

/** `GET /api/v1/destinations?environment=production&consent=measurement,marketing`. */
export { grantedConsent } from "../destinations/consent";
