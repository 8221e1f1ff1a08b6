import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { CONSENT_PURPOSES } from "@/lib/destinations/consent";
import { CONNECTION_STATUSES, DESTINATION_TYPES } from "@/lib/destinations/types";
import { createdAt, id, inList, updatedAt, version } from "./columns";
import { environments } from "./environments";
import { organizations, users } from "./organizations";

/**
 * Analytics destinations (issue 15, seed 003), per organization and environment: plain typed settings, the
 * consent each needs, enabled and test mode, the last connection test. Key-like fields are variables of the
 * environment, named in `secretVariables` (field → variable name). Soft deleted; one live destination per
 * organization × type × environment. Wedding hours and the approval of a production deletion are enforced by
 * a trigger (migration 0035).
 */
export const destinations = pgTable(
  "destinations",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    type: varchar({ length: 32 }).notNull(),
    name: varchar({ length: 100 }).notNull(),
    description: varchar({ length: 500 }).notNull().default(""),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    secretVariables: jsonb().$type<Record<string, string>>().notNull().default({}),
    requiredConsent: text().array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean().notNull().default(false),
    testMode: boolean().notNull().default(false),
    connectionStatus: varchar({ length: 16 }).notNull().default("unknown"),
    lastTestedAt: timestamp({ withTimezone: true }),
    lastError: varchar({ length: 300 }),
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
    uniqueIndex("destinations_org_type_env_unique")
      .on(t.organizationId, t.type, t.environmentId)
      .where(sql`${t.deletedAt} is null`),
    index("idx_destinations_org_env").on(t.organizationId, t.environmentId),
    check("destinations_type_check", sql`${t.type} in (${inList(DESTINATION_TYPES)})`),
    check("destinations_status_check", sql`${t.connectionStatus} in (${inList(CONNECTION_STATUSES)})`),
    check(
      "destinations_consent_check",
      sql`${t.requiredConsent} <@ ARRAY[${inList(CONSENT_PURPOSES)}]::text[]`,
    ),
  ],
);
