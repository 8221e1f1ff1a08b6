import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { WEBHOOK_CIRCUIT_STATES, WEBHOOK_DELIVERY_STATUSES } from "@/lib/webhooks/events";
import { createdAt, id, inList, updatedAt, version } from "./columns";
import { environments } from "./environments";
import { encryptionKeys } from "./keys";
import { organizations, users } from "./organizations";

/**
 * Change webhooks (issue 14; seed 002's outbound `webhook_configurations`): an HTTPS endpoint of an organization
 * subscribed to event types, optionally for some environments only. Its signing secret (`whsec_…`) is sealed under
 * the organization's data key, bound to the endpoint; during a rotation the previous one signs too until it
 * expires. The circuit breaker lives here so every instance agrees (CLOSED → OPEN → HALF_OPEN).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text().notNull(),
    description: varchar({ length: 200 }).notNull().default(""),
    events: text().array().notNull(),
    /** Environments whose events it receives; empty: all (and events of no environment). */
    environmentIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    secretSealed: text().notNull(),
    encryptionKeyId: varchar({ length: 255 })
      .notNull()
      .references(() => encryptionKeys.keyId),
    previousSecretSealed: text(),
    previousEncryptionKeyId: varchar({ length: 255 }).references(() => encryptionKeys.keyId),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    isActive: boolean().notNull().default(true),
    circuitState: varchar({ length: 16 }).notNull().default("closed"),
    consecutiveFailures: integer().notNull().default(0),
    circuitOpenedAt: timestamp({ withTimezone: true }),
    version: version(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_webhook_endpoints_org").on(t.organizationId, t.isActive),
    check("webhook_endpoints_circuit_check", sql`${t.circuitState} in (${inList(WEBHOOK_CIRCUIT_STATES)})`),
    check("webhook_endpoints_events_check", sql`cardinality(${t.events}) > 0`),
  ],
);

/**
 * What happened, once per change, written by triggers on the tables that change (migration 0030) in the
 * change's own transaction, only while the organization has an active endpoint. `id` is the `webhook-id`.
 * Never a value: names, versions, ids and states only.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    eventType: varchar({ length: 40 }).notNull(),
    environmentId: uuid().references(() => environments.id, { onDelete: "cascade" }),
    data: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("idx_webhook_events_org").on(t.organizationId, t.createdAt)],
);

/** One event for one endpoint: its state, when it is next tried, and the last attempt's outcome. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid()
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: varchar({ length: 16 }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When a job was sent for the next attempt (null: none yet); a lost job is sent again by the sweep. */
    queuedAt: timestamp({ withTimezone: true }),
    lastStatusCode: integer(),
    lastLatencyMs: integer(),
    lastError: varchar({ length: 300 }),
    /** A replay: the delivery it repeats (same event, same webhook-id). */
    replayOf: uuid(),
    createdAt: createdAt(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_webhook_deliveries_endpoint").on(t.endpointId, t.createdAt),
    index("idx_webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    // One delivery of an event per endpoint (a replay is another, naming the one it repeats).
    uniqueIndex("webhook_deliveries_event_unique")
      .on(t.endpointId, t.eventId)
      .where(sql`${t.replayOf} is null`),
    check("webhook_deliveries_status_check", sql`${t.status} in (${inList(WEBHOOK_DELIVERY_STATUSES)})`),
  ],
);

/** Every attempt, appended: the delivery log's lines. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    statusCode: integer(),
    latencyMs: integer().notNull(),
    error: varchar({ length: 300 }),
    ok: boolean().notNull(),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_webhook_attempts_delivery").on(t.deliveryId, t.attempt)],
);
