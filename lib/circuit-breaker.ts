/**
 * A circuit breaker (seed 002): after `threshold` consecutive failures a circuit opens and nothing is tried until
 * `resetSeconds` have passed; then one trial (half-open) closes it on success or opens it again. Webhook
 * deliveries and integration health checks use it; the state lives on their rows so every instance agrees.
 */
export const CIRCUIT_STATES = ["closed", "open", "half_open"] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export type Circuit = { state: CircuitState; consecutiveFailures: number; openedAt: Date | null };

/**
 * Whether an endpoint may be tried now: always when closed; when open, once the reset interval has passed (the
 * attempt makes it half-open: one trial); not while a trial is out. The seconds to wait otherwise.
 */
export function circuitAllows(
  circuit: Circuit,
  now: Date,
  resetSeconds: number,
): { ok: true; trial: boolean } | { ok: false; waitSeconds: number } {
  if (circuit.state === "closed") return { ok: true, trial: false };
  // Open: since it opened; half-open: since its trial began (a trial whose worker died gives way to another).
  const reopensAt = (circuit.openedAt?.getTime() ?? 0) + resetSeconds * 1000;
  if (now.getTime() >= reopensAt) return { ok: true, trial: true };
  return { ok: false, waitSeconds: Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000)) };
}

/** The circuit after an attempt: a success closes it; a failure counts, and opens it at the threshold or in a trial. */
export function afterAttempt(circuit: Circuit, ok: boolean, now: Date, threshold: number): Circuit {
  if (ok) return { state: "closed", consecutiveFailures: 0, openedAt: null };
  const consecutiveFailures = circuit.consecutiveFailures + 1;
  const opens = circuit.state === "half_open" || consecutiveFailures >= threshold;
  return opens
    ? { state: "open", consecutiveFailures, openedAt: now }
    : { state: circuit.state, consecutiveFailures, openedAt: circuit.openedAt };
}
