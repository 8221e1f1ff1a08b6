import type { MatrixCell } from "@/db/repos/matrix";
import { CELL_LABELS } from "@/lib/matrix";

const STYLE = {
  missing: "text-quiet",
  set: "bg-green-50 text-green-800",
  same: "bg-green-50 text-green-700",
  differs: "bg-amber-50 text-amber-900",
  invalid: "bg-red-100 text-red-800",
  expired: "bg-red-100 text-red-800",
} as const;

type Props = {
  id: string;
  /** undefined while its page loads; null when the caller may not read that environment. */
  cell: MatrixCell | undefined;
  required: boolean;
  label: string;
  width: number;
  focused: boolean;
  onFocus: () => void;
  onOpen: () => void;
};

/** One matrix cell: its state as a word and a colour; required-and-missing stands out in red. */
export function MatrixCellView({ id, cell, required, label, width, focused, onFocus, onOpen }: Props) {
  const state = cell?.state;
  const text =
    cell === undefined
      ? ""
      : cell === null
        ? "no access"
        : state === "missing" && required
          ? "missing"
          : CELL_LABELS[cell.state];
  const style =
    cell === undefined || cell === null
      ? "text-quiet"
      : state === "missing" && required
        ? "bg-red-50 font-medium text-red-700"
        : STYLE[cell.state];
  return (
    <div
      role="gridcell"
      id={id}
      tabIndex={focused ? 0 : -1}
      data-state={cell ? (state === "missing" && required ? "required-missing" : state) : undefined}
      onFocus={onFocus}
      onClick={onOpen}
      className={`flex cursor-pointer items-center px-3 text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 ${style}`}
      style={{ width }}
    >
      {/* Named from its content, so the name holds the words shown ("DATABASE_URL in staging: set v2"). */}
      <span className="sr-only">{label}: </span>
      {text}
      {cell?.version ? <span className="ml-1 text-[10px]">v{cell.version}</span> : null}
      {cell?.rotationDue ? (
        <span className="ml-1 font-medium text-amber-800" title="Older than its variable's rotation interval">
          · rotate
        </span>
      ) : null}
      {cell?.warning ? (
        <span className="ml-1 text-amber-700" title="Passed with a warning: open the variable for details">
          <span aria-hidden="true">⚠</span>
          <span className="sr-only">, check warning</span>
        </span>
      ) : null}
    </div>
  );
}
