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
import { CONFIG_TYPES, HEALTH_STATUSES, PLATFORMS } from "@/lib/integrations/platforms";
import { WEBHOOK_CIRCUIT_STATES } from "@/lib/webhooks/events";
import { createdAt, id, inList, updatedAt, version } from "./columns";
import { environments } from "./environments";
import { encryptionKeys } from "./keys";
import { organizations, users } from "./organizations";

/**
 * Integration configs (issue 15, seed 002): Stripe, HubSpot and QuickBooks per organization, environment and kind
 * of configuration; one live config per kind and one primary per platform in an environment. Plain settings here;
 * secrets are variables of the environment named in `secretVariables`. Health and the circuit breaker of its
 * checks live on the row; wedding hours and the approval of a production deletion are a trigger (0036).
 */
export const integrationConfigs = pgTable(
  "integration_configs",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    platform: varchar({ length: 16 }).notNull(),
    configType: varchar({ length: 16 }).notNull(),
    name: varchar({ length: 100 }).notNull(),
    isPrimary: boolean().notNull().default(false),
    isActive: boolean().notNull().default(true),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    secretVariables: jsonb().$type<Record<string, string>>().notNull().default({}),
    healthStatus: varchar({ length: 16 }).notNull().default("unknown"),
    healthMessage: varchar({ length: 300 }),
    healthLatencyMs: integer(),
    lastHealthCheck: timestamp({ withTimezone: true }),
    nextHealthCheck: timestamp({ withTimezone: true }).notNull().defaultNow(),
    consecutiveFailures: integer().notNull().default(0),
    circuitState: varchar({ length: 16 }).notNull().default("closed"),
    circuitOpenedAt: timestamp({ withTimezone: true }),
    version: version(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id),
  },
  (t) => [
    uniqueIndex("integration_configs_live_unique")
      .on(t.organizationId, t.platform, t.configType, t.environmentId)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex("integration_configs_primary_unique")
      .on(t.organizationId, t.platform, t.environmentId)
      .where(sql`${t.isPrimary} and ${t.deletedAt} is null`),
    index("idx_integration_configs_due")
      .on(t.nextHealthCheck)
      .where(sql`${t.isActive} and ${t.deletedAt} is null`),
    index("idx_integration_configs_health").on(t.platform, t.healthStatus),
    check("integration_configs_platform_check", sql`${t.platform} in (${inList(PLATFORMS)})`),
    check("integration_configs_type_check", sql`${t.configType} in (${inList(CONFIG_TYPES)})`),
    check("integration_configs_health_check", sql`${t.healthStatus} in (${inList(HEALTH_STATUSES)})`),
    check("integration_configs_circuit_check", sql`${t.circuitState} in (${inList(WEBHOOK_CIRCUIT_STATES)})`),
  ],
);

/** Each health check of a config: its status, latency, the provider's HTTP status and the breaker after it. */
export const integrationHealthChecks = pgTable(
  "integration_health_checks",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    configId: uuid()
      .notNull()
      .references(() => integrationConfigs.id, { onDelete: "cascade" }),
    status: varchar({ length: 16 }).notNull(),
    latencyMs: integer(),
    httpStatus: integer(),
    message: varchar({ length: 300 }),
    circuitState: varchar({ length: 16 }).notNull(),
    checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_integration_health_checks_config").on(t.configId, t.checkedAt),
    check("integration_health_checks_status_check", sql`${t.status} in (${inList(HEALTH_STATUSES)})`),
  ],
);

/** An OAuth grant of a config (seed 002 `oauth_tokens`' fields): who it is at the provider; its tokens are values. */
export const integrationOauthConnections = pgTable(
  "integration_oauth_connections",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    configId: uuid()
      .notNull()
      .references(() => integrationConfigs.id, { onDelete: "cascade" }),
    stripeAccountId: varchar({ length: 255 }),
    stripeUserId: varchar({ length: 255 }),
    stripeLivemode: boolean(),
    hubspotPortalId: varchar({ length: 255 }),
    hubspotUserId: varchar({ length: 255 }),
    hubspotAppId: varchar({ length: 255 }),
    quickbooksRealmId: varchar({ length: 255 }),
    scopes: text().notNull().default(""),
    accessExpiresAt: timestamp({ withTimezone: true }),
    isActive: boolean().notNull().default(true),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id),
    revokedReason: varchar({ length: 300 }),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    refreshedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_oauth_connections_active").on(t.organizationId, t.isActive),
    index("idx_oauth_connections_stripe_account").on(t.stripeAccountId),
    index("idx_oauth_connections_hubspot_portal").on(t.hubspotPortalId),
  ],
);

/** Inbound provider webhooks of a config: every request, its signature verdict and what came of it. */
export const integrationWebhookEvents = pgTable(
  "integration_webhook_events",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    configId: uuid()
      .notNull()
      .references(() => integrationConfigs.id, { onDelete: "cascade" }),
    providerEventId: varchar({ length: 255 }),
    eventType: varchar({ length: 100 }),
    signatureValid: boolean().notNull(),
    outcome: varchar({ length: 16 }).notNull(),
    detail: varchar({ length: 300 }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("integration_webhook_events_dedupe")
      .on(t.configId, t.providerEventId)
      .where(sql`${t.signatureValid} and ${t.providerEventId} is not null`),
    index("idx_integration_webhook_events_config").on(t.configId, t.receivedAt),
    check(
      "integration_webhook_events_outcome_check",
      sql`${t.outcome} in ('processed', 'ignored', 'duplicate', 'refused')`,
    ),
  ],
);

/** An OAuth authorization in progress: its state's keyed hash and its sealed PKCE verifier; used once. */
export const integrationOauthStates = pgTable("integration_oauth_states", {
  id: id(),
  organizationId: uuid()
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  configId: uuid()
    .notNull()
    .references(() => integrationConfigs.id, { onDelete: "cascade" }),
  stateHash: varchar({ length: 64 }).notNull().unique(),
  verifierSealed: text().notNull(),
  encryptionKeyId: varchar({ length: 255 })
    .notNull()
    .references(() => encryptionKeys.keyId),
  redirectUri: text().notNull(),
  createdBy: uuid()
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  expiresAt: timestamp({ withTimezone: true }).notNull().default(sql`now() + interval '10 minutes'`),
  usedAt: timestamp({ withTimezone: true }),
});
