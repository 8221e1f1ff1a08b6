import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  inet,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { AUDIT_ACTIONS, AUDIT_RESOURCES } from "@/lib/audit-vocabulary";
import { createdAt, id, inList } from "./columns";
import { emergencySessions, environments } from "./environments";
import { organizations, users } from "./organizations";
import { environmentVariables } from "./variables";

export { AUDIT_ACTIONS, AUDIT_RESOURCES };

/**
 * Append-only, hash-chained audit trail. `seq`, `prev_hash` and `row_hash` are set by a trigger;
 * UPDATE, DELETE and TRUNCATE are refused by triggers, and the app role may only INSERT and SELECT.
 * Partitioned by month of `created_at` (migration 0054): the key is (id, created_at), and (organization, seq)
 * is unique by the chain head's lock, not by an index.
 */
export const environmentVariableAudit = pgTable(
  "environment_variable_audit",
  {
    id: uuid().notNull().defaultRandom(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    seq: bigint({ mode: "number" }).notNull().default(0),
    variableId: uuid().references(() => environmentVariables.id),
    environmentId: uuid().references(() => environments.id),
    userId: uuid().references(() => users.id),
    action: varchar({ length: 50 }).notNull(),
    resourceType: varchar({ length: 50 }).notNull(),
    resourceId: uuid(),
    previousValueHash: varchar({ length: 255 }),
    newValueHash: varchar({ length: 255 }),
    changeDetails: jsonb().notNull().default({}),
    securityContext: jsonb().notNull().default({}),
    riskLevel: varchar({ length: 10 }),
    emergency: boolean().notNull().default(false),
    ipAddress: inet(),
    userAgent: text(),
    sessionId: varchar({ length: 255 }),
    success: boolean().notNull().default(true),
    errorMessage: text(),
    /** 1: the digest covers the personal fields; 2 (every row since 0052): it covers `personalHash` instead. */
    chainVersion: smallint().notNull().default(2),
    /** E-mail addresses the row mentions (moved out of change_details by the chain trigger): erasable. */
    personalDetails: jsonb(),
    /** SHA-256 of the personal fields under this random salt; both set by the trigger, the salt erasable. */
    personalSalt: uuid(),
    personalHash: varchar({ length: 64 }),
    /** When erase_user removed this row's personal fields. */
    erasedAt: timestamp({ withTimezone: true }),
    prevHash: varchar({ length: 64 }).notNull().default(""),
    rowHash: varchar({ length: 64 }).notNull().default(""),
    /** Stamped by the chain trigger (clock_timestamp()); routes the row to its month's partition. */
    createdAt: timestamp({ withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.createdAt] }),
    index("idx_env_var_audit_org_seq").on(t.organizationId, t.seq),
    index("idx_env_var_audit_timestamp").on(t.organizationId, t.createdAt.desc()),
    // The explorer's activity chart counts by day and action from the index alone.
    index("idx_env_var_audit_activity").on(t.organizationId, t.createdAt, t.action),
    index("idx_env_var_audit_user").on(t.userId, t.createdAt.desc()),
    index("idx_env_var_audit_variable").on(t.variableId, t.createdAt.desc()),
    check("environment_variable_audit_action_check", sql`${t.action} in (${inList(AUDIT_ACTIONS)})`),
    check(
      "environment_variable_audit_resource_check",
      sql`${t.resourceType} in (${inList(AUDIT_RESOURCES)})`,
    ),
    check(
      "environment_variable_audit_risk_check",
      sql`${t.riskLevel} in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')`,
    ),
  ],
);

/**
 * Break-glass changes waiting for a security reviewer's acknowledgement: one per emergency audit row, created
 * by a trigger (so no emergency change escapes review). Acknowledged by someone other than the actor.
 */
export const emergencyReviews = pgTable(
  "emergency_reviews",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id),
    emergencySessionId: uuid().references(() => emergencySessions.id),
    auditId: uuid().notNull(),
    auditCreatedAt: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid().references(() => users.id),
    createdAt: createdAt(),
    acknowledgedBy: uuid().references(() => users.id),
    acknowledgedAt: timestamp({ withTimezone: true }),
    note: varchar({ length: 500 }),
  },
  (t) => [
    unique("emergency_reviews_audit_unique").on(t.auditId, t.auditCreatedAt),
    foreignKey({
      name: "emergency_reviews_audit_fk",
      columns: [t.auditId, t.auditCreatedAt],
      foreignColumns: [environmentVariableAudit.id, environmentVariableAudit.createdAt],
    }),
    index("idx_emergency_reviews_open").on(t.organizationId, t.acknowledgedAt),
    check(
      "emergency_reviews_four_eyes_check",
      sql`${t.acknowledgedBy} is null or ${t.acknowledgedBy} is distinct from ${t.actorId}`,
    ),
  ],
);
