import { z } from "zod";
import type { VaultField } from "../destinations/types";
import { safeString } from "./fields";
import { VARIABLE_NAME } from "./variables";

/** The form fields analytics destinations and integrations share: settings, vault values and their variables. */

const GROUPS = ["settings", "secrets", "variables"] as const;

/**
 * A form's flat fields (`settings.host`, `secrets.apiKey`, `variables.apiKey`) as nested objects, so field
 * errors come back under the names the form used. JSON input may nest them already.
 */
export function nest(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const [group, field, ...rest] = key.split(".");
    if ((GROUPS as readonly string[]).includes(group) && field && rest.length === 0) {
      const current = out[group];
      const into =
        typeof current === "object" && current !== null ? (current as Record<string, unknown>) : {};
      into[field] = value;
      out[group] = into;
    } else out[key] = value;
  }
  return out;
}

export const fieldMap = <T extends z.ZodType>(value: T) => z.record(safeString(40), value).default({});

/** A new value for a vault field (blank: keep the one there is). */
export const secretValue = z.preprocess((v) => (typeof v === "string" ? v.trim() : v), safeString(8192));
export const variableName = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z.union([
    z.literal(""),
    safeString(255).regex(
      VARIABLE_NAME,
      "Use UPPER_SNAKE_CASE: a capital letter, then capitals, digits or _",
    ),
  ]),
);

export type Typed =
  | {
      ok: true;
      settings: Record<string, unknown>;
      secrets: Record<string, string>;
      variables: Record<string, string>;
    }
  | { ok: false; errors: Record<string, string[]> };

/**
 * Settings parsed by their schema (errors under `settings.<path>`, or `<path>` for a top-level group such as
 * `features` or `mappingRules`) with vault values and variables checked against the owner's vault fields (one it
 * does not have is an error under `secrets.<field>` or `variables.<field>`); blank values and names are dropped.
 */
export function typedFields(
  label: string,
  parsed: z.ZodSafeParseResult<unknown>,
  vault: readonly VaultField[],
  input: { secrets: Record<string, string>; variables: Record<string, string> },
  topLevel: readonly string[] = [],
): Typed {
  const errors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const key = (topLevel.includes(path[0]) ? path : ["settings", ...path]).join(".");
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
  const fields = new Set(vault.map((f) => f.field));
  for (const group of ["secrets", "variables"] as const)
    for (const field of Object.keys(input[group]))
      if (!fields.has(field)) errors[`${group}.${field}`] = [`${label} has no field ${field}`];
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const given = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""));
  return {
    ok: true,
    settings: parsed.data as Record<string, unknown>,
    secrets: given(input.secrets),
    variables: given(input.variables),
  };
}
