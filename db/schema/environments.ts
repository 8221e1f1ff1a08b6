import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { ENVIRONMENT_TYPES } from "@/lib/roles";
import { createdAt, id, inList, updatedAt, version } from "./columns";
import { organizations, users } from "./organizations";

export const environments = pgTable(
  "environments",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: varchar({ length: 100 }).notNull(),
    displayName: varchar({ length: 255 }).notNull(),
    description: text(),
    environmentType: varchar({ length: 50 }).notNull(),
    isActive: boolean().notNull().default(true),
    /** Follows the type (production and disaster recovery): never a flag of its own that could be flipped. */
    isProduction: boolean()
      .notNull()
      .generatedAlwaysAs(sql`environment_type in ('production', 'disaster_recovery')`),
    weddingDayProtection: boolean().notNull().default(false),
    deploymentBranch: varchar({ length: 255 }),
    deploymentUrl: text(),
    metadata: jsonb().notNull().default({}),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("environments_org_name_unique").on(t.organizationId, t.name),
    index("idx_environment_protection").on(t.weddingDayProtection, t.isProduction),
    check("environments_type_check", sql`${t.environmentType} in (${inList(ENVIRONMENT_TYPES)})`),
  ],
);

/** Break-glass sessions: a user may write one protected environment during wedding hours until expiry. */
export const emergencySessions = pgTable(
  "emergency_sessions",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    reason: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_emergency_sessions_user").on(t.organizationId, t.userId, t.environmentId),
    check("emergency_sessions_reason_check", sql`length(${t.reason}) >= 10`),
    check("emergency_sessions_duration_check", sql`${t.expiresAt} <= ${t.startedAt} + interval '60 minutes'`),
  ],
);
