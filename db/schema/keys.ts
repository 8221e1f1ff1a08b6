import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { organizations, users } from "./organizations";

/**
 * Per-organization keys, wrapped by the master key (KEK), which never enters the database.
 * `data` keys encrypt values (versioned, rotatable); the active `hmac` key computes value hashes (a rotation adds
 * a `pending` one, active once every stored hash moved to it).
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
      sql`${t.keyStatus} in ('pending', 'active', 'rotating', 'deprecated', 'revoked')`,
    ),
    uniqueIndex("encryption_keys_one_active_hmac")
      .on(t.organizationId)
      .where(sql`${t.keyType} = 'hmac' AND ${t.keyStatus} = 'active'`),
    uniqueIndex("encryption_keys_one_pending_hmac")
      .on(t.organizationId)
      .where(sql`${t.keyType} = 'hmac' AND ${t.keyStatus} = 'pending'`),
  ],
);

/** Per organization: the oldest data-key version that may decrypt, and how often the data key should rotate. */
export const keySettings = pgTable(
  "key_settings",
  {
    organizationId: uuid()
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    minDecryptionVersion: integer().notNull().default(1),
    dataKeyRotationDays: integer(),
    updatedBy: uuid().references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("key_settings_min_version_check", sql`${t.minDecryptionVersion} >= 1`),
    check("key_settings_interval_check", sql`${t.dataKeyRotationDays} between 1 and 3650`),
  ],
);

export const ROTATION_STATUSES = ["running", "paused", "completed", "failed"] as const;

/** A data-key rotation and its progress (migration 0037): the job re-encrypts batch by batch. */
export const keyRotations = pgTable(
  "key_rotations",
  {
    id: id(),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    dataKeyId: varchar({ length: 255 })
      .notNull()
      .references(() => encryptionKeys.keyId),
    fromKeyIds: text().array().notNull(),
    /** The hash key this rotation moves value hashes to (pending until the swap at its end). */
    hmacKeyId: varchar({ length: 255 }).references(() => encryptionKeys.keyId),
    hashesSwappedAt: timestamp({ withTimezone: true }),
    status: varchar({ length: 20 }).notNull().$type<(typeof ROTATION_STATUSES)[number]>(),
    statusReason: varchar({ length: 300 }),
    breakGlassEnvironmentIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    total: integer().notNull(),
    processed: integer().notNull().default(0),
    succeeded: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    startedBy: uuid()
      .notNull()
      .references(() => users.id),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("key_rotations_status_check", sql`${t.status} in ('running', 'paused', 'completed', 'failed')`),
    check(
      "key_rotations_counts_check",
      sql`${t.processed} = ${t.succeeded} + ${t.failed} AND ${t.failed} >= 0 AND ${t.succeeded} >= 0`,
    ),
    uniqueIndex("key_rotations_one_open")
      .on(t.organizationId)
      .where(sql`${t.status} in ('running', 'paused')`),
    index("idx_key_rotations_org").on(t.organizationId, t.startedAt),
  ],
);

/** Hash pairs a rotation recorded: a value's hash under the active hash key → under the pending one (0041). */
export const keyRotationHashes = pgTable(
  "key_rotation_hashes",
  {
    rotationId: uuid()
      .notNull()
      .references(() => keyRotations.id, { onDelete: "cascade" }),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    oldHash: varchar({ length: 64 }).notNull(),
    newHash: varchar({ length: 64 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.rotationId, t.oldHash] })],
);

/** A row a rotation could not re-encrypt (its ciphertext did not authenticate), never retried by it. */
export const keyRotationFailures = pgTable(
  "key_rotation_failures",
  {
    rotationId: uuid()
      .notNull()
      .references(() => keyRotations.id, { onDelete: "cascade" }),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    store: varchar({ length: 40 }).notNull(),
    rowId: uuid().notNull(),
    reason: varchar({ length: 200 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.rotationId, t.store, t.rowId] })],
);

/**
 * Keys of the installation, not of an organization, wrapped by the master key (migration 0040): `token-hash`
 * keys the hashes tokens and invitations are stored as, and outlives a master-key rotation.
 */
export const installationKeys = pgTable(
  "installation_keys",
  {
    purpose: varchar({ length: 50 }).primaryKey(),
    wrappedKey: text().notNull(),
    kekFingerprint: varchar({ length: 16 }).notNull(),
    createdAt: createdAt(),
    rewrappedAt: timestamp({ withTimezone: true }),
  },
  (t) => [check("installation_keys_purpose_check", sql`${t.purpose} in ('token-hash')`)],
);
