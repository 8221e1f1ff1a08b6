import { MAX_SKEW_MS } from "@/lib/sync-protocol";

/** How many request signatures a receiver remembers at most; beyond that it refuses rather than forgets. */
export const MAX_REMEMBERED = 100_000;
const SWEEP_EVERY_MS = 1000;

export type ReplayVerdict = "new" | "replayed" | "early" | "full";

/**
 * Remembers the signatures of accepted requests for as long as they could still verify (their timestamp plus
 * MAX_SKEW_MS, so at most 2 × MAX_SKEW_MS from now), so that each signed request is served once. Give it only
 * requests whose signature and timestamp verified: a stranger cannot take room. Memory does not survive a
 * restart, so a request signed before the guard started is refused as `early`: a restart does not reopen the
 * window for requests captured before it (a console whose clock is behind waits out the difference).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private sweptAt = Number.NEGATIVE_INFINITY;
  private readonly limit: number;
  private readonly clock: () => number;
  private readonly startedAt: number;

  constructor({ limit = MAX_REMEMBERED, clock = Date.now }: { limit?: number; clock?: () => number } = {}) {
    this.limit = limit;
    this.clock = clock;
    this.startedAt = clock();
  }

  /** Signatures remembered now, including expired ones not yet swept. */
  get size(): number {
    return this.seen.size;
  }

  /** `new` records the signature; `full` means it was not recorded, and the request must be refused. */
  check(signature: string, timestamp: number): ReplayVerdict {
    if (timestamp < this.startedAt) return "early";
    const now = this.clock();
    const until = this.seen.get(signature);
    if (until !== undefined && now <= until) return "replayed";
    if (this.seen.size >= this.limit || now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    if (this.seen.size >= this.limit) return "full";
    this.seen.set(signature, Math.min(timestamp, now + MAX_SKEW_MS) + MAX_SKEW_MS);
    return "new";
  }

  private sweep(now: number) {
    for (const [signature, until] of this.seen) if (until < now) this.seen.delete(signature);
    this.sweptAt = now;
  }
}
