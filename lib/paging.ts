/** Where one page of a list sits: rows `from`–`to` (1-based, inclusive) of `total`. */
export type PageWindow = {
  page: number;
  pages: number;
  offset: number;
  limit: number;
  from: number;
  to: number;
  total: number;
};

/**
 * The window of page `page` (1-based) of `size` rows in a list of `total` rows. A page past the end shows
 * the last page, so an old link (rows were deleted since) still shows rows rather than an empty list.
 */
export function pageWindow(page: number, size: number, total: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const offset = (current - 1) * size;
  return {
    page: current,
    pages,
    offset,
    limit: size,
    from: total === 0 ? 0 : offset + 1,
    to: Math.min(offset + size, total),
    total,
  };
}

/** "Showing 101–200 of 1,234 variables". */
export function showingWords(w: PageWindow, noun: string): string {
  const n = (x: number) => x.toLocaleString("en-GB");
  return `Showing ${n(w.from)}–${n(w.to)} of ${n(w.total)} ${noun}`;
}
