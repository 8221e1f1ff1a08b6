/** The environment matrix's cell states, computed from metadata and hashes only (nothing decrypted). */
export type CellState = "missing" | "set" | "same" | "differs" | "invalid" | "expired";

export type CellInput = {
  valueHash: string;
  validationStatus: string | null;
  expiresAt: Date | string | null;
} | null;

/**
 * A cell's state: missing; invalid (a failed check) and expired win over the rest; otherwise compared with
 * its left-hand neighbour (the environment below it): same, differs, or plain set when the neighbour has none.
 */
export function cellState(cell: CellInput, neighbour: CellInput, now: Date = new Date()): CellState {
  if (!cell) return "missing";
  if (cell.validationStatus === "failed") return "invalid";
  if (cell.expiresAt && new Date(cell.expiresAt) <= now) return "expired";
  if (!neighbour) return "set";
  return neighbour.valueHash === cell.valueHash ? "same" : "differs";
}

export const CELL_LABELS: Record<CellState, string> = {
  missing: "missing",
  set: "set",
  same: "same as left",
  differs: "differs",
  invalid: "invalid",
  expired: "expired",
};

/** Status filters of the matrix, as they appear in the URL. */
export type MatrixStatusFilter =
  | { kind: "missing"; environment: string }
  | { kind: "differs"; environments: [string, string] }
  | { kind: "invalid" }
  | { kind: "required_missing" };

/** Parses `missing:production`, `differs:staging:production`, `invalid`, `required_missing`. */
export function parseStatusFilter(raw: string | undefined | null): MatrixStatusFilter | null {
  if (!raw) return null;
  const [kind, a, b] = raw.split(":");
  if (kind === "missing" && a) return { kind, environment: a };
  if (kind === "differs" && a && b) return { kind, environments: [a, b] };
  if (kind === "invalid" || kind === "required_missing") return { kind };
  return null;
}
