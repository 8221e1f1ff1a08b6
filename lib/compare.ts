/** Environment comparison by value hash: nothing is decrypted to tell whether two values differ. */
export type DiffKind = "added" | "removed" | "changed" | "same";

/** What promoting `from` into `to` would do to one key: add it, leave a key only `to` has, change it, or nothing. */
export function diffKind(fromHash: string | null, toHash: string | null): DiffKind | null {
  if (fromHash === null && toHash === null) return null;
  if (toHash === null) return "added";
  if (fromHash === null) return "removed";
  return fromHash === toHash ? "same" : "changed";
}

export type DiffCounts = Record<DiffKind, number>;

export function countDiffs(kinds: (DiffKind | null)[]): DiffCounts {
  const counts: DiffCounts = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const k of kinds) if (k) counts[k] += 1;
  return counts;
}

/** "production lacks 3 keys that staging has: A, B, C …" — the parity line for one environment. */
export function paritySummary(env: string, below: string, lacking: number, examples: string[]): string {
  if (lacking === 0) return `${env} has every key that ${below} has`;
  const names = examples.slice(0, 3).join(", ");
  const more = lacking > 3 ? ` and ${lacking - 3} more` : "";
  return `${env} lacks ${lacking} key${lacking === 1 ? "" : "s"} that ${below} has: ${names}${more}`;
}
