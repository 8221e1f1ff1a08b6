type Param = string | string[] | undefined;

/** The list filters both list pages take from the URL: trimmed, capped, absent when empty. */
export function listFilters(sp: Record<string, Param>, max: number) {
  const text = (v: Param) => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : undefined);
  return {
    q: text(sp.q),
    type: text(sp.type),
    classification: text(sp.classification),
    tag: text(sp.tag),
    status: text(sp.status),
  };
}
