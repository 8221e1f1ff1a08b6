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
import { createdAt, id, inList, updatedAt, version } from "./columns";
import { environments } from "./environments";
import { encryptionKeys } from "./keys";
import { organizations, users } from "./organizations";

export const VARIABLE_TYPES = ["api_key", "database_url", "feature_flag", "configuration", "secret"] as const;
export const CLASSIFICATIONS = ["public", "internal", "confidential", "wedding_day_critical"] as const;

export const securityClassifications = pgTable(
  "security_classifications",
  {
    id: id(),
    name: varchar({ length: 50 }).notNull().unique(),
    displayName: varchar({ length: 255 }).notNull(),
    description: text(),
    encryptionRequired: boolean().notNull().default(true),
    auditLevel: varchar({ length: 20 }).notNull().default("detailed"),
    accessRestrictions: jsonb().notNull().default({}),
    changeApprovalRequired: boolean().notNull().default(false),
    weddingDayRestrictions: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "security_classifications_audit_level_check",
      sql`${t.auditLevel} in ('basic', 'detailed', 'comprehensive', 'real_time')`,
    ),
  ],
);

export const environmentVariables = pgTable(
  "environment_variables",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: varchar({ length: 255 }).notNull(),
    displayName: varchar({ length: 255 }),
    description: text(),
    variableType: varchar({ length: 50 }).notNull(),
    securityClassification: varchar({ length: 20 }).notNull(),
    isRequired: boolean().notNull().default(false),
    isWeddingCritical: boolean().notNull().default(false),
    defaultValue: text(),
    validationPattern: varchar({ length: 500 }),
    /** How often its credential should change, in days (null: no schedule); values older are due (0038). */
    rotationIntervalDays: integer(),
    metadata: jsonb().notNull().default({}),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    version: version(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    updatedBy: uuid().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp({ withTimezone: true }),
    deletedBy: uuid().references(() => users.id),
    /** Set when a variable soft-deleted 90+ days ago had its encrypted values destroyed; the row stays for the audit trail. */
    purgedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The seed's UNIQUE(organization_id, name), but only among live rows so a soft-deleted name can be reused.
    uniqueIndex("environment_variables_org_name_live")
      .on(t.organizationId, t.name)
      .where(sql`deleted_at is null`),
    index("idx_env_vars_org_name").on(t.organizationId, t.name),
    index("idx_wedding_critical_vars").on(t.isWeddingCritical, t.securityClassification),
    index("idx_env_vars_tags").using("gin", t.tags),
    // Prefix search (LIKE 'ABC%') in any collation, and substring search (LIKE '%ABC%') by trigrams.
    index("idx_env_vars_name_prefix").on(t.organizationId, t.name.op("varchar_pattern_ops")),
    index("idx_env_vars_name_trgm").using("gin", t.name.op("gin_trgm_ops")),
    check("environment_variables_name_check", sql`${t.name} ~ '^[A-Z][A-Z0-9_]*$'`),
    check("environment_variables_type_check", sql`${t.variableType} in (${inList(VARIABLE_TYPES)})`),
    check(
      "environment_variables_classification_check",
      sql`${t.securityClassification} in (${inList(CLASSIFICATIONS)})`,
    ),
  ],
);

export const environmentVariableValues = pgTable(
  "environment_variable_values",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    variableId: uuid()
      .notNull()
      .references(() => environmentVariables.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    encryptedValue: text().notNull(),
    encryptionKeyId: varchar({ length: 255 })
      .notNull()
      .references(() => encryptionKeys.keyId),
    valueHash: varchar({ length: 255 }).notNull(),
    isEncrypted: boolean().notNull().default(true),
    changeNote: varchar({ length: 500 }),
    /** Worst result of the checks run when this version was written (details in variable_validations). */
    validationStatus: varchar({ length: 20 }),
    lastRotatedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    version: version(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    updatedBy: uuid().references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("environment_variable_values_var_env_unique").on(t.variableId, t.environmentId),
    index("idx_env_var_values_env").on(t.organizationId, t.environmentId),
    index("idx_env_var_values_key").on(t.encryptionKeyId, t.id),
    check(
      "environment_variable_values_validation_check",
      sql`${t.validationStatus} in ('passed', 'failed', 'warning')`,
    ),
  ],
);

/** Every version a value has had (kept by trigger), so any earlier one can be restored. */
export const valueVersions = pgTable(
  "value_versions",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    variableId: uuid()
      .notNull()
      .references(() => environmentVariables.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    version: integer().notNull(),
    operation: varchar({ length: 10 }).notNull(),
    encryptedValue: text(),
    encryptionKeyId: varchar({ length: 255 }),
    valueHash: varchar({ length: 255 }),
    note: varchar({ length: 500 }),
    createdBy: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique("value_versions_var_env_version_unique").on(t.variableId, t.environmentId, t.version),
    /** The latest change in an environment (automatic pushes). */
    index("idx_value_versions_env_created").on(t.environmentId, t.createdAt.desc()),
    index("idx_value_versions_key").on(t.encryptionKeyId, t.id),
    check("value_versions_operation_check", sql`${t.operation} in ('set', 'delete')`),
  ],
);

export const variableAccessPolicies = pgTable(
  "variable_access_policies",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    variableId: uuid().references(() => environmentVariables.id),
    tag: text(),
    userId: uuid().references(() => users.id),
    role: varchar({ length: 100 }),
    permissionLevel: varchar({ length: 20 }).notNull(),
    environmentRestrictions: text().array(),
    timeRestrictions: jsonb().notNull().default({}),
    emergencyOverride: boolean().notNull().default(false),
    grantedBy: uuid()
      .notNull()
      .references(() => users.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    isActive: boolean().notNull().default(true),
    version: version(),
  },
  (t) => [
    index("idx_access_policies_user").on(t.userId, t.isActive),
    index("idx_access_policies_variable").on(t.variableId, t.isActive),
    check(
      "variable_access_policies_level_check",
      sql`${t.permissionLevel} in ('read', 'write', 'admin', 'emergency')`,
    ),
    check("variable_access_policies_subject_check", sql`${t.userId} is not null or ${t.role} is not null`),
  ],
);

export const variableValidations = pgTable(
  "variable_validations",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    variableId: uuid()
      .notNull()
      .references(() => environmentVariables.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    validationType: varchar({ length: 50 }).notNull(),
    validationStatus: varchar({ length: 20 }).notNull(),
    validationDetails: jsonb().notNull().default({}),
    errorMessage: text(),
    validatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    nextValidation: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_variable_validations_var_env").on(t.variableId, t.environmentId, t.validatedAt),
    check(
      "variable_validations_type_check",
      sql`${t.validationType} in ('format', 'connectivity', 'api_key', 'security')`,
    ),
    check("variable_validations_status_check", sql`${t.validationStatus} in ('passed', 'failed', 'warning')`),
  ],
);
