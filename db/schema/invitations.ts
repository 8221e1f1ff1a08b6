import { sql } from "drizzle-orm";
import { check, index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/roles";
import { createdAt, id, inList } from "./columns";
import { organizations, users } from "./organizations";

/**
 * Invitations to an organization: a link with a random token shown once to the inviter; only the token's
 * SHA-256 is kept. Accepted once, before it expires, unless revoked.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: varchar({ length: 320 }).notNull(),
    role: varchar({ length: 32 }).notNull(),
    tokenHash: varchar({ length: 64 }).notNull().unique(),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_invitations_org").on(t.organizationId, t.createdAt.desc()),
    check("invitations_role_check", sql`${t.role} in (${inList(ROLES)})`),
  ],
);
