import { z } from "zod";
import { requiredConsent } from "../destinations/consent";
import { DESTINATION_TYPES, DESTINATIONS, type DestinationType } from "../destinations/types";
import { fieldMap, nest, secretValue, typedFields, variableName } from "./connector-fields";
import { checkbox, optionalText, requiredText, safeString, versionNumber } from "./fields";

/** A list from JSON (an array) or from a form (repeated fields, or one field). */
const listed = (v: unknown) => (typeof v === "string" ? [v] : (v ?? []));

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
) {
  const { label, settings, vault } = DESTINATIONS[type];
  return typedFields(label, settings.safeParse(input.settings), vault, input);
}

/** A destination named by its id (delete, restore, test). */
export const destinationRef = z.object({ id: z.uuid(), reason: optionalText(500) });

/** `GET /api/v1/destinations?environment=production&consent=measurement,marketing`. */
export { grantedConsent } from "../destinations/consent";
