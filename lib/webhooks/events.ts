/**
 * Change webhooks (issue 14): the events an endpoint may subscribe to, the delivery states, the retry schedule
 * and the circuit breaker's rules. Pure: the database writes events (migration 0030) and server/webhooks sends
 * them.
 */

/** What an endpoint may subscribe to; never a value in any of them. */
export const WEBHOOK_EVENT_TYPES = [
  "value.changed",
  "variable.created",
  "variable.deleted",
  "drift.detected",
  "drift.resolved",
  "change_request.opened",
  "change_request.decided",
  "emergency.opened",
  "emergency.closed",
  "sync.completed",
  "sync.failed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "Send test event" only; no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WEBHOOK_CIRCUIT_STATES = ["closed", "open", "half_open"] as const;
export type CircuitState = (typeof WEBHOOK_CIRCUIT_STATES)[number];

/**
 * Seconds to wait before each attempt: the first at once, then 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (Standard
 * Webhooks' suggested schedule; about 17.5 hours in all). After the last, the delivery has failed.
 */
export const RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000] as const;

/** A 2xx answered within this counts as delivered; anything else, or nothing, is a failure. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** Consecutive failures that open an endpoint's circuit, and how long it stays open before one trial. */
export const CIRCUIT = { threshold: 5, resetSeconds: 300 } as const;

/** When the attempt after `attempts` failed ones is due, or null when there is none left. */
export function nextAttemptDelay(attempts: number, schedule: readonly number[] = RETRY_SCHEDULE_SECONDS) {
  return attempts < schedule.length ? schedule[attempts] : null;
}

export type Circuit = { state: CircuitState; consecutiveFailures: number; openedAt: Date | null };

/**
 * Whether an endpoint may be tried now: always when closed; when open, once the reset interval has passed (the
 * attempt makes it half-open: one trial); not while a trial is out. The seconds to wait otherwise.
 */
export function circuitAllows(
  circuit: Circuit,
  now: Date,
  resetSeconds: number = CIRCUIT.resetSeconds,
): { ok: true; trial: boolean } | { ok: false; waitSeconds: number } {
  if (circuit.state === "closed") return { ok: true, trial: false };
  // Open: since it opened; half-open: since its trial began (a trial whose worker died gives way to another).
  const reopensAt = (circuit.openedAt?.getTime() ?? 0) + resetSeconds * 1000;
  if (now.getTime() >= reopensAt) return { ok: true, trial: true };
  return { ok: false, waitSeconds: Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000)) };
}

/** The circuit after an attempt: a success closes it; a failure counts, and opens it at the threshold or in a trial. */
export function afterAttempt(
  circuit: Circuit,
  ok: boolean,
  now: Date,
  threshold: number = CIRCUIT.threshold,
): Circuit {
  if (ok) return { state: "closed", consecutiveFailures: 0, openedAt: null };
  const consecutiveFailures = circuit.consecutiveFailures + 1;
  const opens = circuit.state === "half_open" || consecutiveFailures >= threshold;
  return opens
    ? { state: "open", consecutiveFailures, openedAt: now }
    : { state: circuit.state, consecutiveFailures, openedAt: circuit.openedAt };
}
