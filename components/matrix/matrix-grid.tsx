"use client";

import { QueryClient, QueryClientProvider, useQueries, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CHANGE_EVENT } from "@/components/console/live-updates";
import type { ValueActions } from "@/components/values/value-actions";
import type { MatrixEnvironment, MatrixPage, MatrixRow } from "@/db/repos/matrix";
import { valueChangeMode } from "@/lib/approvals";
import type { Control } from "@/lib/controls";
import type { Permission } from "@/lib/policy";
import type { Classification } from "@/lib/risk";
import type { EnvironmentType, Role } from "@/lib/roles";
import { CellEditor } from "./cell-editor";
import { MatrixCellView } from "./matrix-cell";

const PAGE = 100;
const ROW_HEIGHT = 36;
/** The sticky name column: 300 px, but never more than 40% of a phone's width. */
const NAME_WIDTH = "min(300px, 40vw)";
const CELL_WIDTH = 132;

type Filters = { q?: string; type?: string; classification?: string; tag?: string; status?: string };
type Props = {
  org: string;
  filters: Filters;
  environments: MatrixEnvironment[];
  /** Per environment id: whether the caller may change values there now, or why not. */
  controls: Record<string, Control>;
  /** The caller's role and, per environment id, permission and break-glass session: whether a change waits. */
  role: Role;
  access: Record<string, { permission: Permission; emergency: boolean }>;
  actions: ValueActions;
};

/** Whether setting this value waits for a reviewer, and at what risk (the variable page says the same). */
function approvalFor(props: Props, row: MatrixRow, env: MatrixEnvironment) {
  const access = props.access[env.id];
  if (!access) return null;
  const { mode, risk } = valueChangeMode({
    role: props.role,
    permission: access.permission,
    action: "value:set",
    classification: row.securityClassification as Classification,
    weddingCritical: row.isWeddingCritical,
    environmentType: env.environmentType as EnvironmentType,
    emergency: access.emergency,
  });
  return mode === "request" ? { risk: risk.level } : null;
}

export function MatrixGrid(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000 } } }));
  return (
    <QueryClientProvider client={client}>
      <Grid {...props} />
    </QueryClientProvider>
  );
}

async function fetchPage(org: string, filters: Filters, page: number): Promise<MatrixPage> {
  const params = new URLSearchParams({ offset: String(page * PAGE), limit: String(PAGE) });
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const response = await fetch(`/api/o/${org}/matrix?${params}`, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message ?? `The matrix could not be loaded (${response.status}).`);
  }
  return response.json();
}

/**
 * The virtualized matrix: only the rows in view are rendered, and only their pages (100 rows each) are
 * fetched, so scrolling 10,000 variables never loads them all. A roving tab stop and arrow keys move
 * between cells; Enter or a click opens the value editor.
 */
function Grid(props: Props) {
  const { org, filters, environments, controls } = props;
  const queryClient = useQueryClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const [editing, setEditing] = useState<{ row: MatrixRow; col: number } | null>(null);
  const key = useMemo(() => ["matrix", org, filters] as const, [org, filters]);
  useEffect(() => {
    const refresh = () => queryClient.invalidateQueries({ queryKey: ["matrix", org] });
    window.addEventListener(CHANGE_EVENT, refresh);
    return () => window.removeEventListener(CHANGE_EVENT, refresh);
  }, [queryClient, org]);

  const [first] = useQueries({
    queries: [{ queryKey: [...key, 0], queryFn: () => fetchPage(org, filters, 0) }],
  });
  const total = first.data?.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const pagesInView = useMemo(
    () => [...new Set(items.map((i) => Math.floor(i.index / PAGE)))].filter((p) => p > 0),
    [items],
  );
  const pages = useQueries({
    queries: pagesInView.map((p) => ({ queryKey: [...key, p], queryFn: () => fetchPage(org, filters, p) })),
  });
  const rowAt = useCallback(
    (index: number): MatrixRow | undefined => {
      const page = Math.floor(index / PAGE);
      const data = page === 0 ? first.data : pages[pagesInView.indexOf(page)]?.data;
      return data?.rows[index % PAGE];
    },
    [first.data, pages, pagesInView],
  );

  const columns = environments.length + 1;
  const focusCell = (row: number, col: number) => {
    const r = Math.max(0, Math.min(total - 1, row));
    const c = Math.max(0, Math.min(columns - 1, col));
    setActive({ row: r, col: c });
    virtualizer.scrollToIndex(r, { align: "auto" });
    requestAnimationFrame(() => document.getElementById(`matrix-cell-${r}-${c}`)?.focus());
  };
  const open = (row: number, col: number) => {
    const r = rowAt(row);
    if (r && col > 0 && r.cells[col - 1] !== null) setEditing({ row: r, col: col - 1 });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowRight: [0, 1],
      ArrowLeft: [0, -1],
      PageDown: [page, 0],
      PageUp: [-page, 0],
    };
    if (moves[event.key]) {
      event.preventDefault();
      focusCell(active.row + moves[event.key][0], active.col + moves[event.key][1]);
    } else if (event.key === "Home") {
      event.preventDefault();
      focusCell(event.ctrlKey ? 0 : active.row, 0);
    } else if (event.key === "End") {
      event.preventDefault();
      focusCell(event.ctrlKey ? total - 1 : active.row, columns - 1);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(active.row, active.col);
    }
  };

  if (first.isError) {
    return (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
        {first.error.message}
      </p>
    );
  }
  const width = `calc(${NAME_WIDTH} + ${environments.length * CELL_WIDTH}px)`;
  return (
    <div className="space-y-2">
      <p className="text-sm text-gray-600" aria-live="polite">
        {first.isPending ? "Loading…" : `${total.toLocaleString("en-GB")} variable${total === 1 ? "" : "s"}`}
      </p>
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Environment matrix"
        aria-rowcount={total + 1}
        aria-colcount={columns}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        className="relative h-[65vh] overflow-auto rounded-lg border border-gray-200 bg-white text-sm"
      >
        <div
          role="row"
          aria-rowindex={1}
          className="sticky top-0 z-20 flex border-b border-gray-200 bg-gray-50"
          style={{ width }}
        >
          <div
            role="columnheader"
            className="sticky left-0 z-10 bg-gray-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-gray-600"
            style={{ width: NAME_WIDTH }}
          >
            Variable
          </div>
          {environments.map((e) => (
            <div
              key={e.id}
              role="columnheader"
              className="truncate px-3 py-2 text-xs font-semibold uppercase tracking-wide text-gray-600"
              style={{ width: CELL_WIDTH }}
              title={e.readable ? e.name : `${e.name}: you cannot read its values`}
            >
              {e.name}
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), width, position: "relative" }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className="absolute left-0 flex border-b border-gray-100"
                style={{ top: item.start, height: ROW_HEIGHT, width }}
              >
                <div
                  role="rowheader"
                  id={`matrix-cell-${item.index}-0`}
                  tabIndex={active.row === item.index && active.col === 0 ? 0 : -1}
                  onFocus={() => setActive({ row: item.index, col: 0 })}
                  className="sticky left-0 z-10 flex items-center gap-2 truncate bg-white px-3 font-mono text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500"
                  style={{ width: NAME_WIDTH }}
                >
                  {row ? (
                    <>
                      <a
                        href={`/o/${org}/variables/${row.id}`}
                        tabIndex={-1}
                        className="truncate text-indigo-700 hover:underline"
                      >
                        {row.name}
                      </a>
                      {row.isRequired ? (
                        <span className="text-[10px] font-sans text-gray-500">required</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="h-3 w-40 rounded bg-gray-100 motion-safe:animate-pulse" />
                  )}
                </div>
                {environments.map((env, col) => (
                  <MatrixCellView
                    key={env.id}
                    id={`matrix-cell-${item.index}-${col + 1}`}
                    cell={row ? row.cells[col] : undefined}
                    required={row?.isRequired ?? false}
                    label={row ? `${row.name} in ${env.name}` : "loading"}
                    width={CELL_WIDTH}
                    focused={active.row === item.index && active.col === col + 1}
                    onFocus={() => setActive({ row: item.index, col: col + 1 })}
                    onOpen={() => open(item.index, col + 1)}
                  />
                ))}
              </div>
            );
          })}
        </div>
      </div>
      {editing ? (
        <CellEditor
          org={org}
          actions={props.actions}
          approval={approvalFor(props, editing.row, environments[editing.col])}
          variable={{ id: editing.row.id, name: editing.row.name, variableType: editing.row.variableType }}
          environment={environments[editing.col]}
          version={editing.row.cells[editing.col]?.version ?? 0}
          control={
            controls[environments[editing.col].id] ?? {
              state: "hidden",
              reason: `You cannot change values in ${environments[editing.col].name}.`,
            }
          }
          onClose={() => {
            setEditing(null);
            requestAnimationFrame(() =>
              document.getElementById(`matrix-cell-${active.row}-${active.col}`)?.focus(),
            );
          }}
          onSaved={() => queryClient.invalidateQueries({ queryKey: ["matrix", org] })}
        />
      ) : null}
    </div>
  );
}
