import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, inList, version } from "./columns";
import { environments } from "./environments";
import { organizations, users } from "./organizations";
import { environmentVariables } from "./variables";

/** What a request does when approved: value changes (its items), or one deferred console change. */
export const CHANGE_REQUEST_ACTIONS = [
  "values",
  "variable:update",
  "variable:delete",
  "environment:update",
  "protection:remove",
  "policy:grant",
  "member:role",
  "target:update",
  "target:create",
  "variable:restore",
  "settings:time_zone",
  "destination:delete",
  "integration:delete",
] as const;

export const CHANGE_REQUEST_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "cancelled",
  "stale",
  "expired",
] as const;

/**
 * Four-eyes change requests: a HIGH or CRITICAL value change (or any change by someone who may only propose
 * there) waits here until a reviewer who is not the requester approves it (applied in the approval's
 * transaction) or rejects it. A request whose base versions moved is marked stale instead of applied.
 */
export const changeRequests = pgTable(
  "change_requests",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The environment whose values change (null for console changes that are not about one environment). */
    environmentId: uuid().references(() => environments.id),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    /** What produced it: an edit, a delete, a restore, a promotion, an import. */
    source: varchar({ length: 20 }).notNull(),
    action: varchar({ length: 40 }).notNull().default("values"),
    /** The validated input of a deferred console change (never a value or a secret). */
    payload: jsonb(),
    /**
     * What a deferred console change acts on (an environment, variable, target or organization): the database's
     * own gate admits that change on that row only, in the transaction that approves it.
     */
    resourceId: uuid(),
    /** One line the reviewer reads: what it changes. */
    summary: varchar({ length: 500 }),
    reason: text().notNull(),
    riskLevel: varchar({ length: 10 }).notNull(),
    riskReasons: jsonb().notNull().default([]),
    status: varchar({ length: 20 }).notNull().default("pending"),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    decisionNote: varchar({ length: 1000 }),
    version: version(),
  },
  (t) => [
    index("idx_change_requests_org_status").on(t.organizationId, t.status, t.createdAt),
    index("idx_change_requests_requester").on(t.organizationId, t.requestedBy, t.createdAt.desc()),
    check("change_requests_status_check", sql`${t.status} in (${inList(CHANGE_REQUEST_STATUSES)})`),
    check(
      "change_requests_source_check",
      sql`${t.source} in ('edit', 'delete', 'restore', 'promote', 'import', 'drift', 'console')`,
    ),
    check("change_requests_action_check", sql`${t.action} in (${inList(CHANGE_REQUEST_ACTIONS)})`),
    check(
      "change_requests_values_env_check",
      sql`(${t.action} = 'values') = (${t.environmentId} is not null)`,
    ),
    check("change_requests_risk_check", sql`${t.riskLevel} in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')`),
    check("change_requests_reason_check", sql`length(${t.reason}) between 10 and 1000`),
    check(
      "change_requests_four_eyes_check",
      sql`${t.status} not in ('approved', 'rejected') or (${t.decidedBy} is not null and ${t.decidedBy} <> ${t.requestedBy})`,
    ),
  ],
);

/**
 * One value change in a request: the version it was based on and the proposed value, encrypted for its
 * destination row (same AAD as the value), so approval moves the ciphertext without decrypting it.
 */
export const changeRequestItems = pgTable(
  "change_request_items",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    changeRequestId: uuid()
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    variableId: uuid()
      .notNull()
      .references(() => environmentVariables.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    operation: varchar({ length: 10 }).notNull(),
    /** The value's version when requested (0: not set); approval is refused as stale if it moved. */
    baseVersion: integer().notNull(),
    baseValueHash: varchar({ length: 255 }),
    newEncryptedValue: text(),
    encryptionKeyId: varchar({ length: 255 }),
    newValueHash: varchar({ length: 255 }),
    validationStatus: varchar({ length: 20 }),
    riskLevel: varchar({ length: 10 }).notNull(),
    note: varchar({ length: 500 }),
  },
  (t) => [
    unique("change_request_items_request_variable_unique").on(t.changeRequestId, t.variableId),
    index("idx_change_request_items_variable").on(t.variableId, t.environmentId),
    check("change_request_items_operation_check", sql`${t.operation} in ('set', 'delete')`),
    check(
      "change_request_items_value_check",
      sql`(${t.operation} = 'delete') = (${t.newEncryptedValue} is null and ${t.newValueHash} is null)`,
    ),
  ],
);
