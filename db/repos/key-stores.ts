import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * Every place a data key seals something, as the rotation job reads and rewrites it: the table, the sealed
 * column and its key column, and what names the row in its associated data (server/keys/stores.ts builds the
 * AAD from these fields). Values and their history carry an environment, so the wedding lock applies to them.
 */
export const KEY_STORES = {
  values: {
    table: "environment_variable_values",
    sealed: "encrypted_value",
    key: "encryption_key_id",
    fields: ["variable_id", "environment_id"],
    environment: true,
  },
  value_versions: {
    table: "value_versions",
    sealed: "encrypted_value",
    key: "encryption_key_id",
    fields: ["variable_id", "environment_id"],
    environment: true,
  },
  change_request_items: {
    table: "change_request_items",
    sealed: "new_encrypted_value",
    key: "encryption_key_id",
    fields: ["variable_id", "environment_id"],
    environment: true,
  },
  sync_targets: {
    table: "sync_targets",
    sealed: "secret_sealed",
    key: "encryption_key_id",
    fields: [],
    environment: false,
  },
  webhook_secrets: {
    table: "webhook_endpoints",
    sealed: "secret_sealed",
    key: "encryption_key_id",
    fields: [],
    environment: false,
  },
  webhook_previous_secrets: {
    table: "webhook_endpoints",
    sealed: "previous_secret_sealed",
    key: "previous_encryption_key_id",
    fields: [],
    environment: false,
  },
  oauth_states: {
    table: "integration_oauth_states",
    sealed: "verifier_sealed",
    key: "encryption_key_id",
    fields: ["state_hash"],
    environment: false,
  },
} as const;

export type KeyStore = keyof typeof KEY_STORES;
export const STORE_NAMES = Object.keys(KEY_STORES) as KeyStore[];

/** One sealed row: its id, ciphertext and key, and the fields its AAD names. */
export type SealedRow = {
  id: string;
  sealed: string;
  keyId: string;
  fields: Record<string, string>;
};

const ident = (name: string) => sql.identifier(name);
/** A PostgreSQL array literal of strings, each quoted (drizzle would spread a JS array into a list). */
const arrayLiteral = (values: string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;

/** Rows of one store the rotation has still to re-encrypt (under a key it retires, not failed, not waiting). */
function pendingWhere(
  store: KeyStore,
  o: { organizationId: string; rotationId: string; fromKeyIds: string[]; waitingEnvIds: string[] },
): SQL {
  const s = KEY_STORES[store];
  const waiting =
    s.environment && o.waitingEnvIds.length > 0
      ? sql` AND NOT (${ident("environment_id")} = ANY(${arrayLiteral(o.waitingEnvIds)}::uuid[]))`
      : sql``;
  return sql`${ident("organization_id")} = ${o.organizationId}
    AND ${o.fromKeyIds.length === 1 ? sql`${ident(s.key)} = ${o.fromKeyIds[0]}` : sql`${ident(s.key)} = ANY(${arrayLiteral(o.fromKeyIds)}::text[])`}
    AND NOT EXISTS (SELECT 1 FROM key_rotation_failures f WHERE f.rotation_id = ${o.rotationId}
                      AND f.store = ${store} AND f.row_id = ${ident(s.table)}.id)${waiting}`;
}

/**
 * Up to `limit` rows to re-encrypt, locked for this transaction; rows a writer holds are skipped (the writer
 * seals under the new key, and a later batch looks again).
 */
export async function lockPendingRows(
  tx: Tx,
  store: KeyStore,
  o: {
    organizationId: string;
    rotationId: string;
    fromKeyIds: string[];
    waitingEnvIds: string[];
    limit: number;
    /** Rows after this id only (in id order): a pass does not walk again over what it re-encrypted. */
    after?: string;
  },
): Promise<SealedRow[]> {
  const s = KEY_STORES[store];
  const fields = s.fields.length
    ? sql.join(
        s.fields.map((f) => sql`${ident(f)}::text AS ${ident(f)}`),
        sql`, `,
      )
    : sql`NULL AS none`;
  // One query per retiring key (usually one): `key = k AND id > after ORDER BY id` is a range of the (key, id)
  // index, where `key = ANY(…)` would sort every pending row again for each batch.
  const found: Record<string, string>[] = [];
  for (const keyId of o.fromKeyIds) {
    found.push(
      ...(await tx.execute<Record<string, string>>(sql`
        SELECT id::text AS id, ${ident(s.sealed)} AS sealed, ${ident(s.key)} AS key_id, ${fields}
          FROM ${ident(s.table)}
         WHERE ${pendingWhere(store, { ...o, fromKeyIds: [keyId] })}${o.after ? sql` AND ${ident(s.table)}.id > ${o.after}` : sql``}
         ORDER BY ${ident(s.table)}.id
         LIMIT ${o.limit}
           FOR UPDATE SKIP LOCKED`)),
    );
  }
  // Rows beyond the first `limit` in id order stay locked until the batch ends, untouched; the next batch has them.
  const rows = found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, o.limit);
  return rows.map((r) => ({
    id: r.id,
    sealed: r.sealed,
    keyId: r.key_id,
    fields: Object.fromEntries(s.fields.map((f) => [f, r[f]])),
  }));
}

/** How many rows of one store are still to re-encrypt, locked or not (waiting environments counted apart). */
export async function countPending(
  tx: Tx,
  store: KeyStore,
  o: { organizationId: string; rotationId: string; fromKeyIds: string[]; waitingEnvIds: string[] },
): Promise<{ pending: number; waiting: number }> {
  const s = KEY_STORES[store];
  const all = await tx.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM ${ident(s.table)} WHERE ${pendingWhere(store, { ...o, waitingEnvIds: [] })}`);
  const open = o.waitingEnvIds.length
    ? await tx.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM ${ident(s.table)} WHERE ${pendingWhere(store, o)}`)
    : all;
  return { pending: open[0].n, waiting: all[0].n - open[0].n };
}

/** `countPending` summed over every store: what a rotation has still to re-encrypt, open and waiting. */
export async function countAllPending(
  tx: Tx,
  o: { organizationId: string; rotationId: string; fromKeyIds: string[]; waitingEnvIds: string[] },
): Promise<{ pending: number; waiting: number }> {
  const sum = { pending: 0, waiting: 0 };
  for (const store of STORE_NAMES) {
    const counts = await countPending(tx, store, o);
    sum.pending += counts.pending;
    sum.waiting += counts.waiting;
  }
  return sum;
}

/** Writes re-encrypted rows: the sealed column and its key id, nothing else (the database's guard checks it). */
export async function writeResealed(
  tx: Tx,
  store: KeyStore,
  rows: { id: string; sealed: string }[],
  keyId: string,
) {
  if (rows.length === 0) return;
  const s = KEY_STORES[store];
  await tx.execute(sql`
    UPDATE ${ident(s.table)} t SET ${ident(s.sealed)} = x.sealed, ${ident(s.key)} = ${keyId}
      FROM unnest(${arrayLiteral(rows.map((r) => r.id))}::uuid[], ${arrayLiteral(rows.map((r) => r.sealed))}::text[]) AS x(id, sealed)
     WHERE t.id = x.id`);
}

/** How many rows of every store a data key still seals (`data_key_use`, past row-level security; a count). */
export async function dataKeyUse(tx: Tx, keyId: string): Promise<number> {
  const [row] = await tx.execute<{ n: string }>(sql`SELECT data_key_use(${keyId})::text AS n`);
  return Number(row.n);
}
