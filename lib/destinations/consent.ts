import { z } from "zod";

/** Seed 003's consent purposes. `necessary` needs no consent: it is always granted. */
export const CONSENT_PURPOSES = [
  "necessary",
  "measurement",
  "marketing",
  "functionality",
  "experience",
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A destination's required consent: a set of purposes (duplicates dropped), at most all five. */
export const requiredConsent = z
  .array(z.enum(CONSENT_PURPOSES, { error: `Consent is one of ${CONSENT_PURPOSES.join(", ")}` }))
  .max(CONSENT_PURPOSES.length)
  .transform((list) => CONSENT_PURPOSES.filter((p) => list.includes(p)));

/** `?consent=measurement,marketing`: the purposes a visitor granted (an empty list grants only `necessary`). */
export const grantedConsent = z
  .string()
  .max(200)
  .transform((raw) =>
    raw
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(requiredConsent);

/** Whether everything a destination requires was granted (`necessary` always is). */
export function consentSatisfied(
  required: readonly ConsentPurpose[],
  granted: readonly ConsentPurpose[],
): boolean {
  return required.every((p) => p === "necessary" || granted.includes(p));
}
