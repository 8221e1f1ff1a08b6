import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { TOKEN_ACCESS } from "@/lib/service-tokens";
import { createdAt, id, inList } from "./columns";
import { organizations, users } from "./organizations";

/**
 * Service tokens: what a deploy pipeline or an app presents instead of a person's session (lib/service-tokens.ts).
 * Scoped to environments (and optionally a name prefix or a tag), read-only or read-write, with an expiry and
 * optional CIDR ranges. Only the token's keyed hash is kept (db/vault.ts `tokenHash`), with a hint for lists.
 */
export const serviceTokens = pgTable(
  "service_tokens",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: varchar({ length: 100 }).notNull(),
    tokenHash: varchar({ length: 64 }).notNull().unique(),
    hint: varchar({ length: 16 }).notNull(),
    environmentIds: uuid().array().notNull(),
    access: varchar({ length: 16 }).notNull(),
    namePrefix: varchar({ length: 255 }),
    tag: varchar({ length: 64 }),
    allowedCidrs: text().array().notNull().default(sql`'{}'::text[]`),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    lastUsedFrom: varchar({ length: 45 }),
    useCount: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [
    index("idx_service_tokens_org").on(t.organizationId, t.createdAt.desc()),
    check("service_tokens_access_check", sql`${t.access} in (${inList(TOKEN_ACCESS)})`),
    check("service_tokens_scope_check", sql`cardinality(${t.environmentIds}) > 0`),
  ],
);

/**
 * How many times what a read of an organization's values returns has changed: bumped once per statement that
 * writes values or variables (triggers, 0029), never by the app. Machine reads cache their answer per instance
 * under this number (server/tokens/read-cache.ts), so a cached answer is never served after a change.
 */
export const organizationValueVersions = pgTable("organization_value_versions", {
  organizationId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  version: bigint({ mode: "number" }).notNull().default(0),
});
