"use client";

import { useEffect, useState } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/lib/ops/units";

export type SizePoint = { day: string; bytes: number };

/** In words, for the caption: the size now, and how much it changed over the days shown. */
export function sizeSummary(points: SizePoint[]) {
  if (points.length === 0)
    return "No daily snapshot yet: the first is taken within a minute of the server starting.";
  const first = points[0];
  const last = points[points.length - 1];
  const change = last.bytes - first.bytes;
  return points.length === 1
    ? `${formatBytes(last.bytes)} on ${last.day} (one snapshot so far).`
    : `${formatBytes(last.bytes)} on ${last.day}: ${change >= 0 ? "up" : "down"} ${formatBytes(Math.abs(change))} since ${first.day} (${points.length} daily snapshots).`;
}

/** The database's size per day (the sum of its tables); the caption says it in words. Drawn once mounted. */
export function SizeChart({ points }: { points: SizePoint[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm text-gray-700">{sizeSummary(points)}</figcaption>
      {points.length > 1 ? (
        <div className="h-48 w-full" aria-hidden="true">
          {mounted ? (
            <ResponsiveContainer width="100%" height="100%">
              <AreaChart
                data={points}
                margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tick={{ fontSize: 11 }} />
                <YAxis tickFormatter={(v: number) => formatBytes(v)} tick={{ fontSize: 11 }} width={64} />
                <Tooltip formatter={(value) => [formatBytes(Number(value)), "size"]} />
                <Area dataKey="bytes" stroke="#4338ca" fill="#c7d2fe" isAnimationActive={false} />
              </AreaChart>
            </ResponsiveContainer>
          ) : null}
        </div>
      ) : null}
    </figure>
  );
}
