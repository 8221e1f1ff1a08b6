import { z } from "zod";

/**
 * A backup is a folder: `manifest.json` and one gzip'ed COPY file per table (`tables/<table>.copy.gz`, PostgreSQL
 * text format, rows in primary-key order). The manifest names the schema version the rows belong to and, per
 * table, the row count and the SHA-256 of the uncompressed COPY text, so a restore can refuse a damaged or altered
 * file before it writes anything, and prove afterwards that the database holds exactly these rows.
 */
export const BACKUP_FORMAT = "ringbearer-backup";
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";

const tableEntry = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  file: z.string().regex(/^tables\/[a-z_][a-z0-9_]*\.copy\.gz$/),
  columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  /** The migrations applied to the database when it was backed up, in the order they were applied. */
  migrations: z.array(z.string()).min(1),
  postgres: z.string(),
  /** In an order that satisfies every foreign key: a restore loads them in this order. */
  tables: z.array(tableEntry).min(1),
  sequences: z.array(z.object({ name: z.string(), value: z.string().nullable() })),
  /**
   * Each organization's audit chain as verify_audit_chain saw it at backup time (rows walked, first broken row
   * or null): the restored chains must verify exactly the same.
   */
  auditChains: z.array(
    z.object({ organizationId: z.uuid(), rows: z.number().int(), brokenSeq: z.number().int().nullable() }),
  ),
  /**
   * Fingerprints (an HMAC of the key, never the key) of the master keys that wrapped the backup's live encryption
   * keys: a restore with another master key is refused before anything is loaded. Absent in older backups.
   */
  keyFingerprints: z.array(z.string().regex(/^[0-9a-f]{16}$/)).optional(),
});

/** What a restore with the wrong master key says (docs/operations.md quotes it). */
export const wrongMasterKey = (given: string, expected: string[]) =>
  `the master key given (fingerprint ${given}) is not the one this backup's keys were wrapped with ` +
  `(fingerprint ${expected.join(", ")}): restore with the RINGBEARER_MASTER_KEY kept with it; nothing was restored`;

export type Manifest = z.infer<typeof manifestSchema>;
export type TableEntry = z.infer<typeof tableEntry>;

/** A refusal with a message for the operator (the backup or restore changed nothing). */
export class BackupError extends Error {}
