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

/** A 1-based page number from the URL: a whole number from 1 to 100,000; anything else is page 1. */
export function pageNumber(value: Param): number {
  if (typeof value !== "string" || !/^\d{1,6}$/.test(value)) return 1;
  const n = Number(value);
  return n >= 1 && n <= 100_000 ? n : 1;
}
