import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { environments } from "./environments";
import { organizations, users } from "./organizations";

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
    driftType: varchar({ length: 50 }).notNull(),
    variableName: varchar({ length: 255 }).notNull(),
    expectedValueHash: varchar({ length: 255 }),
    actualValueHash: varchar({ length: 255 }),
    driftSeverity: varchar({ length: 20 }).notNull(),
    detectedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolutionNotes: text(),
  },
  (t) => [
    index("idx_config_drift_unresolved").on(t.environmentId, t.resolvedAt).where(sql`resolved_at is null`),
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
