/** One measured operation: its median and p95 in milliseconds, and what it aims for. */
export type Result = {
  name: string;
  target?: number;
  median: number;
  p95: number;
  runs: number;
  keys?: number;
};

export type Record = (
  name: string,
  runs: number,
  fn: () => Promise<unknown>,
  target?: number,
  opts?: { prepare?: () => Promise<unknown>; into?: Result[]; keys?: number },
) => Promise<void>;

/** Median and p95 (nearest rank) of samples in milliseconds. */
export const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), runs: s.length };
};

/** A warm-up, then `runs` timed calls; `prepare` runs before each call (the warm-up too), outside the timing. */
export async function measure(runs: number, fn: () => Promise<unknown>, prepare?: () => Promise<unknown>) {
  await prepare?.();
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await prepare?.();
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

/** Measures and appends to `results` (or `opts.into`), logging each figure. */
export function recorder(results: Result[], log: (m: string) => void): Record {
  return async (name, runs, fn, target, opts = {}) => {
    const r = await measure(runs, fn, opts.prepare);
    (opts.into ?? results).push({ name, target, keys: opts.keys, ...r });
    log(`${name}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
  };
}
