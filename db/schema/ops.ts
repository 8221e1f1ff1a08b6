import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { users } from "./organizations";

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
