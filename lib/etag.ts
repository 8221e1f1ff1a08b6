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
