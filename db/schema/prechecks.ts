import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import type { PrecheckReport, PrecheckTrigger } from "@/lib/precheck";
import { id } from "./columns";
import { organizations, users } from "./organizations";

/**
 * Runs of the Saturday pre-check (migration 0049): recorded only by `record_wedding_precheck` (which counts them
 * itself), read by the organization's members and by operators. Counts and dates, never a name or a value.
 */
export const weddingPrechecks = pgTable(
  "wedding_prechecks",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    windowStartsAt: timestamp({ withTimezone: true }).notNull(),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
    ranAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    runTrigger: varchar({ length: 20 }).notNull().$type<PrecheckTrigger>(),
    requestedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    attention: integer().notNull(),
    report: jsonb().$type<PrecheckReport>().notNull(),
  },
  (t) => [
    uniqueIndex("wedding_prechecks_scheduled")
      .on(t.organizationId, t.windowStartsAt)
      .where(sql`run_trigger = 'scheduled'`),
    index("wedding_prechecks_latest").on(t.organizationId, t.ranAt.desc()),
    index("wedding_prechecks_requested_by").on(t.requestedBy),
    check("wedding_prechecks_run_trigger_check", sql`run_trigger in ('scheduled', 'on_demand', 'operator')`),
    check("wedding_prechecks_check", sql`window_ends_at >= window_starts_at`),
  ],
);
