/** A rotation's figures as the keys page and the API show them (server/keys/key-reads.ts). */
export type RotationFigures = {
  status: "running" | "paused" | "completed" | "failed";
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
};

export type RotationProgress = {
  /** Rows still sealed by a retiring key (live count), failures excluded. */
  remaining: number;
  /** Whole percent done: processed of processed + remaining (writers move rows too), 100 when it has ended. */
  percent: number;
  /** Rows re-encrypted per second since it started (to its end, once it has ended). */
  ratePerSecond: number;
  /** Seconds left at that rate; null when unknown or ended. */
  etaSeconds: number | null;
};

export function rotationProgress(r: RotationFigures, remaining: number, now: Date): RotationProgress {
  const ended = r.status === "completed" || r.status === "failed";
  const seconds = Math.max(0.001, ((r.finishedAt ?? now).getTime() - r.startedAt.getTime()) / 1000);
  const ratePerSecond = Math.round((r.processed / seconds) * 10) / 10;
  const whole = r.processed + remaining;
  const percent = ended || whole === 0 ? 100 : Math.min(99, Math.floor((r.processed / whole) * 100));
  const etaSeconds = ended || ratePerSecond <= 0 ? null : Math.ceil(remaining / ratePerSecond);
  return { remaining, percent, ratePerSecond, etaSeconds };
}

/**
 * Whether the active data key is due for rotation (key_settings.data_key_rotation_days): due from `activeSince`
 * + the interval; `overdueDays` whole days past that. Null when no interval is set.
 */
export function dataKeyDue(
  activeSince: Date,
  intervalDays: number | null,
  now: Date,
): { dueAt: Date; overdueDays: number; ageDays: number } | null {
  if (intervalDays === null) return null;
  const day = 86_400_000;
  const dueAt = new Date(activeSince.getTime() + intervalDays * day);
  if (now < dueAt) return null;
  return {
    dueAt,
    overdueDays: Math.floor((now.getTime() - dueAt.getTime()) / day),
    ageDays: Math.floor((now.getTime() - activeSince.getTime()) / day),
  };
}
