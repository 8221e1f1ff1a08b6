import type { HTMLAttributes, TableHTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";

/**
 * A table that scrolls sideways inside its own box on a narrow screen, never the page. The box is a named,
 * focusable region so keyboard users can scroll it too (arrow keys once it has focus). The box is positioned,
 * so what a cell positions absolutely (a screen-reader-only header) scrolls and is clipped with the table
 * instead of widening the page (a phone's browser then zooms the whole page out).
 */
export function Table({ className = "", ...props }: TableHTMLAttributes<HTMLTableElement>) {
  return (
    <section
      aria-label={props["aria-label"] ? `${props["aria-label"]} (table)` : "Table"}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-gray-200 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      <table className={`min-w-full divide-y divide-gray-200 text-sm ${className}`} {...props} />
    </section>
  );
}
export const THead = (props: HTMLAttributes<HTMLTableSectionElement>) => (
  <thead className="bg-gray-50" {...props} />
);
export const TBody = (props: HTMLAttributes<HTMLTableSectionElement>) => (
  <tbody className="divide-y divide-gray-100" {...props} />
);
export const TR = (props: HTMLAttributes<HTMLTableRowElement>) => (
  <tr className="hover:bg-gray-50" {...props} />
);
export const TH = ({ className = "", ...props }: ThHTMLAttributes<HTMLTableCellElement>) => (
  <th
    scope="col"
    className={`px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-gray-600 ${className}`}
    {...props}
  />
);
export const TD = ({ className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={`px-3 py-2 align-top ${className}`} {...props} />
);
