import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { organizations } from "./organizations";

/**
 * Per-organization keys, wrapped by the master key (KEK), which never enters the database.
 * `data` keys encrypt values (versioned, rotatable); the `hmac` key computes value hashes.
 */
export const encryptionKeys = pgTable(
  "encryption_keys",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    keyId: varchar({ length: 255 }).notNull().unique(),
    keyType: varchar({ length: 50 }).notNull(),
    keyVersion: integer().notNull().default(1),
    algorithm: varchar({ length: 50 }).notNull().default("AES-256-GCM"),
    keyStatus: varchar({ length: 20 }).notNull(),
    wrappedKey: text().notNull(),
    kekFingerprint: varchar({ length: 32 }).notNull(),
    createdAt: createdAt(),
    rotatedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique("encryption_keys_org_type_version_unique").on(t.organizationId, t.keyType, t.keyVersion),
    check("encryption_keys_type_check", sql`${t.keyType} in ('master', 'data', 'backup', 'hmac')`),
    check(
      "encryption_keys_status_check",
      sql`${t.keyStatus} in ('active', 'rotating', 'deprecated', 'revoked')`,
    ),
  ],
);
