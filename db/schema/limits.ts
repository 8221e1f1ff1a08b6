import {
  bigint,
  boolean,
  date,
  integer,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/**
 * Usage limits (migration 0053, lib/limits.ts): the installation's defaults (one row, from the configuration),
 * an organization's own where an operator set one (null: the default), and the daily counters the triggers keep.
 */
export const installationLimits = pgTable("installation_limits", {
  id: boolean().primaryKey().default(true),
  variables: integer().notNull(),
  environments: integer().notNull(),
  members: integer().notNull(),
  serviceTokens: integer().notNull(),
  apiRequestsPerDay: bigint({ mode: "number" }).notNull(),
  webhookDeliveriesPerDay: bigint({ mode: "number" }).notNull(),
  storageBytes: bigint({ mode: "number" }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: varchar({ length: 320 }).notNull(),
});

export const organizationLimits = pgTable("organization_limits", {
  organizationId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  variables: integer(),
  environments: integer(),
  members: integer(),
  serviceTokens: integer(),
  apiRequestsPerDay: bigint({ mode: "number" }),
  webhookDeliveriesPerDay: bigint({ mode: "number" }),
  storageBytes: bigint({ mode: "number" }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: varchar({ length: 320 }).notNull(),
});

export const organizationUsageDaily = pgTable(
  "organization_usage_daily",
  {
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: date().notNull(),
    apiRequests: bigint({ mode: "number" }).notNull().default(0),
    webhookDeliveries: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day] })],
);
