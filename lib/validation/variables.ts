import { z } from "zod";
import { MAX_PATTERN_LENGTH, patternProblem } from "../safe-pattern";
import { checkbox, optionalText, safeString, versionNumber } from "./fields";

export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;
const TAG = /^[a-z0-9][a-z0-9_.-]*$/;

const tags = z.preprocess(
  (v) =>
    typeof v === "string"
      ? [
          ...new Set(
            v
              .split(",")
              .map((t) => t.trim().toLowerCase())
              .filter(Boolean),
          ),
        ]
      : Array.isArray(v)
        ? v
        : [],
  z.array(safeString(50).regex(TAG, "Tags use a-z, 0-9, _ . - (e.g. payments)")).max(20, "At most 20 tags"),
);

/**
 * A validation pattern must compile and be proved safe to run (no catastrophic backtracking). The proof runs
 * in a worker thread, so this refinement is async: parse with `safeParseAsync`.
 */
const pattern = optionalText(MAX_PATTERN_LENGTH).superRefine(async (p, ctx) => {
  const problem = p === undefined ? null : await patternProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const variableInput = z.object({
  name: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    safeString(255, "Name is required")
      .min(1, "Name is required")
      .regex(VARIABLE_NAME, "Use UPPER_SNAKE_CASE: a capital letter, then capitals, digits or _"),
  ),
  displayName: optionalText(255),
  description: optionalText(2000),
  variableType: z.enum(["api_key", "database_url", "feature_flag", "configuration", "secret"], {
    error: "Choose a type",
  }),
  securityClassification: z.enum(["public", "internal", "confidential", "wedding_day_critical"], {
    error: "Choose a classification",
  }),
  isRequired: checkbox,
  isWeddingCritical: checkbox,
  validationPattern: pattern,
  tags,
  /** Days between credential changes; empty: no schedule. */
  rotationIntervalDays: z
    .preprocess(
      (v) => (v === "" || v === undefined || v === null ? null : v),
      z.coerce
        .number({ error: "Enter a number of days, or leave it empty" })
        .int("Enter whole days")
        .min(1, "At least 1 day")
        .max(3650, "At most 3650 days (ten years)")
        .nullable(),
    )
    .optional(),
});

export const valueInput = z.object({
  value: safeString(65536, "Enter a value"),
  expectedVersion: versionNumber(),
  note: optionalText(500),
});
