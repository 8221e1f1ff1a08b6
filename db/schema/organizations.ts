import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  inet,
  integer,
  pgTable,
  smallint,
  text,
  time,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/roles";
import { MAX_TOKEN_DAYS } from "@/lib/service-tokens";
import { createdAt, id, inList, updatedAt, version } from "./columns";

export const organizations = pgTable(
  "organizations",
  {
    id: id(),
    slug: varchar({ length: 63 }).notNull().unique(),
    name: varchar({ length: 255 }).notNull(),
    timeZone: text().notNull().default("UTC"),
    /** The longest a service token of the organization may live, in days (lib/service-tokens.ts MAX_TOKEN_DAYS caps it). */
    maxTokenDays: smallint().notNull().default(MAX_TOKEN_DAYS),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "organizations_max_token_days_check",
      sql`${t.maxTokenDays} between 1 and ${sql.raw(String(MAX_TOKEN_DAYS))}`,
    ),
  ],
);

/** The seed's `user_profiles`: people who sign in. Global, not a tenant table. */
export const users = pgTable("users", {
  id: id(),
  email: varchar({ length: 320 }).notNull().unique(),
  name: varchar({ length: 255 }).notNull(),
  passwordHash: text().notNull(),
  /** TOTP secret, AES-256-GCM under the master key (AAD binds it to the user); enabled once confirmed. */
  totpSecret: text(),
  totpEnabledAt: timestamp({ withTimezone: true }),
  /** The last TOTP time step accepted: a code is single-use (this step or an earlier one is refused). */
  totpLastStep: bigint({ mode: "number" }),
  createdAt: createdAt(),
  disabledAt: timestamp({ withTimezone: true }),
  /** When erase_user removed this person's personal data: the row keeps only its id (migration 0052). */
  erasedAt: timestamp({ withTimezone: true }),
});

export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: varchar({ length: 32 }).notNull(),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("memberships_org_user_unique").on(t.organizationId, t.userId),
    index("idx_memberships_user").on(t.userId),
    check("memberships_role_check", sql`${t.role} in (${inList(ROLES)})`),
  ],
);

/** Server-side session rows behind the JWT: logout and revocation take effect on the next request. */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    /** When this session last proved who it is (password or TOTP): sign-in and step-up re-authentication. */
    verifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Signed in with a second factor. */
    mfa: boolean().notNull().default(false),
    ipAddress: inet(),
    userAgent: text(),
  },
  (t) => [index("idx_sessions_user").on(t.userId, t.revokedAt)],
);

/**
 * rate-limiter-flexible's Drizzle store (RateLimiterDrizzle): points used per key until `expire`, changed by
 * one atomic upsert each (sign-in throttling, invitation lookups). Not a tenant table.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text().primaryKey(),
    points: integer().notNull().default(0),
    expire: timestamp({ withTimezone: true }),
  },
  (t) => [index("idx_rate_limits_expire").on(t.expire)],
);

/** Weekly wedding-hours rules in the organization's time zone; ISO days 1 = Monday … 7 = Sunday. */
export const protectionWindows = pgTable(
  "protection_windows",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    label: varchar({ length: 100 }),
    startDay: smallint().notNull(),
    startTime: time().notNull(),
    endDay: smallint().notNull(),
    endTime: time().notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_protection_windows_org").on(t.organizationId),
    check(
      "protection_windows_days_check",
      sql`${t.startDay} between 1 and 7 and ${t.endDay} between 1 and 7`,
    ),
    // At most 4 days: a window in force cannot be removed, so one covering the whole week never could be.
    check(
      "protection_windows_length_check",
      sql`mod(((${t.endDay} - 1) * 86400 + extract(epoch from ${t.endTime})) - ((${t.startDay} - 1) * 86400 + extract(epoch from ${t.startTime})) + 604800, 604800) between 1 and 345600`,
    ),
  ],
);

/** One-off blackout periods (a flagship wedding), absolute instants. */
export const protectionBlackouts = pgTable(
  "protection_blackouts",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    reason: varchar({ length: 200 }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_protection_blackouts_org").on(t.organizationId, t.endsAt),
    check("protection_blackouts_range_check", sql`${t.endsAt} > ${t.startsAt}`),
    // At most 14 days: a blackout in force cannot be removed, so one lasting years would lock production for good.
    check("protection_blackouts_length_check", sql`${t.endsAt} <= ${t.startsAt} + interval '14 days'`),
  ],
);
