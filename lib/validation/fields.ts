import { z } from "zod";
import { hasUnsafeCharacters, UNSAFE_MESSAGE } from "./characters";

/**
 * The one string schema every input string is built on: at most `max` characters (matching its column),
 * and no NUL byte or lone surrogate. Chain `.trim()`, `.min()`, `.regex()` … on it as on `z.string()`.
 */
export const safeString = (max: number, error?: string, tooLong?: string) =>
  z
    .string(error ? { error } : undefined)
    .max(max, tooLong ?? `At most ${max.toLocaleString("en-GB")} characters`)
    .refine((s) => !hasUnsafeCharacters(s), UNSAFE_MESSAGE);

/** PostgreSQL's `integer`: versions and counts beyond it would fail in the database, not in the form. */
export const INT4_MAX = 2_147_483_647;

/** A version number from a form or an argument object (optimistic concurrency): 0 … INT4_MAX. */
export const versionNumber = (min = 0) => z.coerce.number().int().min(min).max(INT4_MAX);

/** FormData helpers: strings arrive for everything, absent checkboxes arrive as nothing. */
export const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** Trimmed optional text: an empty field becomes undefined. */
export const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    safeString(max).optional(),
  );

export const requiredText = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    safeString(max, `${label} is required`).min(1, `${label} is required`),
  );

/** A URL query parameter: trimmed, capped, and absent when empty. */
export const queryText = (max: number) =>
  safeString(max)
    .trim()
    .optional()
    .transform((v) => v || undefined);
