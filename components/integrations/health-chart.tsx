"use client";

import { useEffect, useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** One check as the chart draws it: its time (formatted by the page, in the organization's zone). */
export type HealthPoint = { id: string; at: string; status: string; latencyMs: number | null };

export const STATUS_COLORS: Record<string, string> = {
  healthy: "#15803d",
  degraded: "#b45309",
  unhealthy: "#b91c1c",
  unknown: "#6b7280",
};

/** A check with no answer (a timeout, no connection, no credential) still gets a bar, this tall. */
const NO_ANSWER_MS = 0;

/** In words, for the figure's caption: how many checks of each status, and the slowest answer. */
export function healthSummary(points: HealthPoint[]) {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const parts = ["healthy", "degraded", "unhealthy", "unknown"]
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`);
  const latencies = points.map((p) => p.latencyMs).filter((l): l is number => l !== null);
  const slowest = latencies.length ? `; slowest answer ${Math.max(...latencies)} ms` : "";
  return `Last ${points.length} check${points.length === 1 ? "" : "s"}: ${parts.join(", ")}${slowest}.`;
}

/**
 * A bar per check (oldest first), its height the latency and its colour the status; the caption says the same
 * in words and the table below lists every check, so nothing depends on colour. Drawn after the page has
 * mounted (the chart measures its box).
 */
export function HealthChart({ points }: { points: HealthPoint[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const data = [...points].reverse().map((p) => ({ ...p, ms: p.latencyMs ?? NO_ANSWER_MS }));
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm text-gray-700">{healthSummary(points)}</figcaption>
      <div className="h-48 w-full" aria-hidden="true">
        {mounted ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={data}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
              accessibilityLayer={false}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" tick={false} height={8} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={44} unit=" ms" />
              <Tooltip
                formatter={(value, _name, item) => [
                  `${value} ms (${(item.payload as HealthPoint).status})`,
                  "latency",
                ]}
              />
              <Bar dataKey="ms" minPointSize={3} isAnimationActive={false}>
                {data.map((p) => (
                  <Cell key={p.id} fill={STATUS_COLORS[p.status] ?? STATUS_COLORS.unknown} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-700" aria-label="Colours">
        {["healthy", "degraded", "unhealthy"].map((s) => (
          <li key={s} className="inline-flex items-center gap-1">
            <span
              aria-hidden="true"
              className="inline-block h-3 w-3 rounded-sm"
              style={{ backgroundColor: STATUS_COLORS[s] }}
            />
            {s}
          </li>
        ))}
      </ul>
    </figure>
  );
}
