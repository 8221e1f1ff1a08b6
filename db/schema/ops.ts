import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { id } from "./columns";
import { organizations, users } from "./organizations";

/**
 * The installation's operators (migration 0044): who may open `/ops`, apart from any organization role.
 * Granted and revoked by `npm run ops:grant` as the owner; the app role sees only the signed-in user's own row.
 */
export const installationOperators = pgTable("installation_operators", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  grantedBy: varchar({ length: 320 }).notNull(),
});

/** What operators did (append-only; no organization's audit chain holds it). Operators only. */
export const opsEvents = pgTable(
  "ops_events",
  {
    id: id(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actor: varchar({ length: 320 }).notNull(),
    action: varchar({ length: 64 }).notNull(),
    subject: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("ops_events_occurred").on(t.occurredAt.desc())],
);

/** System alerts (migration 0045): recorded by the job runner only, read and acknowledged by operators. */
export const opsAlerts = pgTable(
  "ops_alerts",
  {
    id: id(),
    rule: varchar({ length: 64 }).notNull(),
    subject: varchar({ length: 255 }).notNull().default(""),
    severity: varchar({ length: 16 }).$type<"warning" | "critical">().notNull(),
    message: text().notNull(),
    raisedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp({ withTimezone: true }),
    acknowledgedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: varchar({ length: 320 }),
    /** When its raising, and its clearing, were taken for the operations webhook (migration 0050). */
    raisedSentAt: timestamp({ withTimezone: true }),
    clearedSentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("ops_alerts_raised").on(t.raisedAt.desc())],
);

/** An operator's threshold for an alert rule, over its default (lib/ops/health.ts). */
export const opsAlertThresholds = pgTable("ops_alert_thresholds", {
  rule: varchar({ length: 64 }).primaryKey(),
  threshold: doublePrecision().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: varchar({ length: 320 }).notNull(),
});

/** Each organization's latest integrity check (migration 0046): recorded by the job runner, read by operators. */
export const opsIntegrityResults = pgTable("ops_integrity_results", {
  organizationId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  checkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  ok: boolean().notNull(),
  result: jsonb().$type<Record<string, unknown>>().notNull(),
});

/** Each table's size once a day (migration 0047): recorded by the job runner, readable by the app role. */
export const opsTableSnapshots = pgTable(
  "ops_table_snapshots",
  {
    day: date().notNull(),
    schemaName: varchar({ length: 63 }).notNull(),
    tableName: varchar({ length: 63 }).notNull(),
    totalBytes: bigint({ mode: "number" }).notNull(),
    estimatedRows: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.schemaName, t.tableName] })],
);
