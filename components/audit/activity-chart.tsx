"use client";

import { useEffect, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS: Record<string, string> = {
  create: "#4f46e5",
  update: "#0891b2",
  delete: "#dc2626",
  decrypt: "#d97706",
  export: "#7c3aed",
  import: "#059669",
  promote: "#2563eb",
  restore: "#65a30d",
  read: "#64748b",
};

type Point = { day: string; action: string; n: number };

/** Loads the activity after the page: counting a month of rows must not hold up the table. */
export function ActivityPanel({ org, query }: { org: string; query: string }) {
  const [points, setPoints] = useState<Point[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`/api/o/${org}/audit/activity?${query}`)
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body?.error?.message ?? "The activity chart could not be loaded.");
        if (live) setPoints(body.points);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [org, query]);
  if (error) return <p className="text-sm text-red-700">{error}</p>;
  if (!points) return <p className="h-56 text-sm text-gray-500">Loading activity…</p>;
  return <ActivityChart points={points} />;
}

/** Audit activity per day, stacked by action (the filtered rows). */
export function ActivityChart({ points }: { points: Point[] }) {
  const actions = [...new Set(points.map((p) => p.action))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (const p of points) {
    const row = byDay.get(p.day) ?? { day: p.day };
    row[p.action] = p.n;
    byDay.set(p.day, row);
  }
  const data = [...byDay.values()];
  if (data.length === 0) return <p className="text-sm text-gray-500">No activity in this period.</p>;
  return (
    <figure aria-label="Activity over time by action" className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {actions.map((action) => (
            <Bar
              key={action}
              dataKey={action}
              stackId="a"
              fill={COLORS[action] ?? "#94a3b8"}
              name={action === "decrypt" ? "reveal" : action}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
