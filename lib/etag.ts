import { createHash } from "node:crypto";

/**
 * Entity tags for machine reads (RFC 9110 §8.8.3): a strong tag over what identifies a representation — ids,
 * names, versions, the format — never over values, so a tag tells nothing about a secret.
 */
export function entityTag(parts: readonly (string | number)[]): string {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 27);
  return `"${digest}"`;
}

/**
 * Whether an `If-None-Match` header names this tag (a list, weak tags compared weakly as GET requires, or `*`).
 * Malformed members are ignored.
 */
export function matchesIfNoneMatch(header: string | null, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((member) => opaque(member) === opaque(tag));
}

/** A value's version as its entity tag: `"3"`. */
export const versionTag = (version: number): string => `"${version}"`;

/**
 * The version a write expects, from its preconditions: `If-Match: "3"` (the tag a read answered) → 3,
 * `If-None-Match: *` (it must not exist yet) → 0; neither → `missing`; anything else → `invalid`.
 */
export function expectedVersionOf(
  ifMatch: string | null,
  ifNoneMatch: string | null,
): number | "missing" | "invalid" {
  if (ifMatch !== null) {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    return m ? Number(m[1]) : "invalid";
  }
  if (ifNoneMatch !== null) return ifNoneMatch.trim() === "*" ? 0 : "invalid";
  return "missing";
}
