/**
 * Characters no input may carry: NUL (PostgreSQL refuses it in text, so it surfaced as a 500) and UTF-16
 * surrogates without their pair (UTF-8 cannot encode them: the driver would silently store U+FFFD instead).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_MESSAGE = "Remove the NUL byte or broken Unicode character";

export const hasUnsafeCharacters = (s: string): boolean => UNSAFE.test(s);

/** Deeper or larger inputs are refused whole (no action takes anything close). */
const MAX_DEPTH = 32;
const MAX_NODES = 200_000;

/**
 * The paths (`a.b.0`, `form` for the whole input) of every string — value or key, at any depth — that
 * carries an unsafe character, so the action builders refuse them before any schema or handler sees them.
 */
export function unsafeInputPaths(input: unknown): string[] {
  const found = new Set<string>();
  let nodes = 0;
  const walk = (value: unknown, path: string[], depth: number) => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
      found.add("form");
      return;
    }
    if (typeof value === "string") {
      if (hasUnsafeCharacters(value)) found.add(path.join(".") || "form");
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...path, String(i)], depth + 1);
      });
    } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) {
        if (hasUnsafeCharacters(key)) found.add(path.join(".") || "form");
        else walk(item, [...path, key], depth + 1);
      }
    }
  };
  walk(input, [], 0);
  return [...found];
}

/** Organization slugs as they are created: lower-case letters, digits and hyphens, at most 63. */
export const isOrganizationSlug = (slug: unknown): slug is string =>
  typeof slug === "string" && /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug);
