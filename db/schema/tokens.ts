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
    /** `service` (made on the Tokens page or the API), or `personal` (a CLI login's, for its creator alone). */
    kind: varchar({ length: 16 }).notNull().default("service"),
  },
  (t) => [
    index("idx_service_tokens_org").on(t.organizationId, t.createdAt.desc()),
    check("service_tokens_access_check", sql`${t.access} in (${inList(TOKEN_ACCESS)})`),
    check("service_tokens_kind_check", sql`${t.kind} in ('service', 'personal')`),
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

/**
 * CLI logins (`ringbearer login`, migration 0032): a device-authorization request a person approves in the console,
 * whose next poll receives a personal token. Only the functions of 0032 read or write it.
 */
export const cliLogins = pgTable(
  "cli_logins",
  {
    id: id(),
    deviceCodeHash: varchar({ length: 64 }).notNull().unique(),
    userCodeHash: varchar({ length: 64 }).notNull().unique(),
    clientName: varchar({ length: 100 }).notNull(),
    requestedFrom: varchar({ length: 45 }),
    userAgent: varchar({ length: 200 }),
    status: varchar({ length: 16 }).notNull().default("pending"),
    organizationId: uuid().references(() => organizations.id, { onDelete: "cascade" }),
    decidedBy: uuid().references(() => users.id, { onDelete: "cascade" }),
    decidedAt: timestamp({ withTimezone: true }),
    environmentIds: uuid().array(),
    access: varchar({ length: 16 }),
    tokenId: uuid().references(() => serviceTokens.id),
    lastPolledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("idx_cli_logins_expires").on(t.expiresAt),
    check("cli_logins_status_check", sql`${t.status} in ('pending', 'approved', 'denied', 'delivered')`),
    check("cli_logins_access_check", sql`${t.access} is null or ${t.access} in ('read', 'read-write')`),
  ],
);
