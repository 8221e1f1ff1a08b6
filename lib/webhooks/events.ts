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
  "integration.unhealthy",
  "integration.recovered",
  "credentials.rotation_due",
  "precheck.completed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "Send test event" only; no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export {
  afterAttempt,
  CIRCUIT_STATES as WEBHOOK_CIRCUIT_STATES,
  type Circuit,
  type CircuitState,
  circuitAllows,
} from "../circuit-breaker";

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
