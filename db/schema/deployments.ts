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
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt, version } from "./columns";
import { environments } from "./environments";
import { encryptionKeys } from "./keys";
import { organizations, users } from "./organizations";
import { environmentVariables } from "./variables";

/**
 * Where an environment is deployed: a `.env` file under the server's target root, or an HTTP receiver
 * (docs/sync-protocol.md). The shared secret signs requests and keys the deployed hashes; it is sealed under
 * the organization's data key, bound to the target. `managed_keys` are the keys Ringbearer has pushed there:
 * only those are ever deleted, unless `delete_unmanaged` says otherwise.
 */
export const syncTargets = pgTable(
  "sync_targets",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    name: varchar({ length: 100 }).notNull(),
    kind: varchar({ length: 20 }).notNull().$type<"dotenv_file" | "http">(),
    /** A path relative to the target root (file), or the receiver's base URL (http). */
    location: text().notNull(),
    secretSealed: text().notNull(),
    encryptionKeyId: varchar({ length: 255 })
      .notNull()
      .references(() => encryptionKeys.keyId),
    deleteUnmanaged: boolean().notNull().default(false),
    managedKeys: text().array().notNull().default(sql`'{}'::text[]`),
    scanIntervalMinutes: integer().notNull().default(15),
    /** Push on its own when the environment's values moved since the last completed full push. */
    autoPush: boolean().notNull().default(false),
    isActive: boolean().notNull().default(true),
    lastScanAt: timestamp({ withTimezone: true }),
    lastTestAt: timestamp({ withTimezone: true }),
    lastTestStatus: varchar({ length: 20 }),
    lastTestMessage: text(),
    version: version(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("sync_targets_env_name_unique").on(t.environmentId, t.name),
    index("idx_sync_targets_org").on(t.organizationId, t.isActive),
    check("sync_targets_kind_check", sql`${t.kind} in ('dotenv_file', 'http')`),
    check("sync_targets_interval_check", sql`${t.scanIntervalMinutes} between 1 and 1440`),
    check("sync_targets_test_check", sql`${t.lastTestStatus} in ('passed', 'failed')`),
  ],
);

export const deploymentSyncs = pgTable(
  "deployment_syncs",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    targetId: uuid().references(() => syncTargets.id),
    syncType: varchar({ length: 50 }).notNull(),
    syncStatus: varchar({ length: 20 }).notNull(),
    variablesSynced: integer().notNull().default(0),
    variablesFailed: integer().notNull().default(0),
    syncDetails: jsonb().notNull().default({}),
    deploymentId: varchar({ length: 255 }),
    pipelineUrl: text(),
    syncDurationMs: integer(),
    startedBy: uuid()
      .notNull()
      .references(() => users.id),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
    errorLog: text().array(),
  },
  (t) => [
    index("idx_deployment_syncs_env_status").on(t.environmentId, t.syncStatus, t.startedAt.desc()),
    /** One push at a time per target, across console processes. */
    uniqueIndex("deployment_syncs_one_running")
      .on(t.targetId)
      .where(sql`${t.syncStatus} in ('pending', 'in_progress')`),
    index("idx_deployment_syncs_target").on(t.targetId, t.startedAt.desc()),
    check(
      "deployment_syncs_type_check",
      sql`${t.syncType} in ('manual', 'automated', 'pipeline', 'rollback')`,
    ),
    check(
      "deployment_syncs_status_check",
      sql`${t.syncStatus} in ('pending', 'in_progress', 'completed', 'failed')`,
    ),
  ],
);

export const configurationDrift = pgTable(
  "configuration_drift",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    /** The target where it was seen; null for parity drift between environments. */
    targetId: uuid().references(() => syncTargets.id),
    variableId: uuid().references(() => environmentVariables.id),
    driftType: varchar({ length: 50 }).notNull(),
    variableName: varchar({ length: 255 }).notNull(),
    /** Identifies "the same drift" (target or parity, type, key): it is recorded once while unresolved. */
    driftKey: text().notNull(),
    details: jsonb().notNull().default({}),
    expectedValueHash: varchar({ length: 255 }),
    actualValueHash: varchar({ length: 255 }),
    driftSeverity: varchar({ length: 20 }).notNull(),
    detectedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    /** pushed, adopted, dismissed, or auto (no longer seen). */
    resolution: varchar({ length: 20 }),
    resolvedBy: uuid().references(() => users.id),
    resolutionNotes: text(),
    /** A dismissal holds while scans see the same drift; set when one no longer does (or sees another). */
    dismissalEndedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_config_drift_unresolved").on(t.environmentId, t.resolvedAt).where(sql`resolved_at is null`),
    index("idx_config_drift_dismissed")
      .on(t.organizationId, t.driftKey)
      .where(sql`resolution = 'dismissed' and dismissal_ended_at is null`),
    uniqueIndex("configuration_drift_open_key")
      .on(t.organizationId, t.driftKey)
      .where(sql`resolved_at is null`),
    check(
      "configuration_drift_resolution_check",
      sql`${t.resolution} in ('pushed', 'adopted', 'dismissed', 'auto')`,
    ),
    check(
      "configuration_drift_type_check",
      sql`${t.driftType} in ('missing_variable', 'unexpected_variable', 'value_mismatch', 'security_violation')`,
    ),
    check(
      "configuration_drift_severity_check",
      sql`${t.driftSeverity} in ('low', 'medium', 'high', 'critical')`,
    ),
  ],
);
