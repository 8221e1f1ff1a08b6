/** A small line of unresolved drift per day, drawn on the server; its label says the numbers. */
export function DriftSparkline({
  points,
  label,
}: {
  points: { day: string; open: number }[];
  label: string;
}) {
  const width = 160;
  const height = 32;
  const max = Math.max(1, ...points.map((p) => p.open));
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const path = points
    .map(
      (p, i) =>
        `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${(height - 2 - (p.open / max) * (height - 4)).toFixed(1)}`,
    )
    .join(" ");
  const last = points.at(-1)?.open ?? 0;
  return (
    <svg
      role="img"
      aria-label={`${label}: unresolved drift over ${points.length} days, ${points.map((p) => p.open).join(", ")} (today ${last})`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className={last > 0 ? "text-amber-600" : "text-green-600"}
    >
      <path d={path} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
