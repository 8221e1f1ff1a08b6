import { hasUnsafeCharacters } from "./validation/characters";

type Param = string | string[] | undefined;

/**
 * One text filter from a page's URL: trimmed and capped; absent when empty, repeated, or carrying a NUL or a
 * lone surrogate (which would reach the database and fail there, as a 500).
 */
export function searchText(value: Param, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim().slice(0, max);
  return text && !hasUnsafeCharacters(text) ? text : undefined;
}

/** The list filters both list pages take from the URL: trimmed, capped, absent when empty. */
export function listFilters(sp: Record<string, Param>, max: number) {
  return {
    q: searchText(sp.q, max),
    type: searchText(sp.type, max),
    classification: searchText(sp.classification, max),
    tag: searchText(sp.tag, max),
    status: searchText(sp.status, max),
  };
}
