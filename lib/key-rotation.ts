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
