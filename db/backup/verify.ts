import type postgres from "postgres";
import { type Keyring, keksOf, unwrapOrgKeys } from "@/db/vault";
import { decryptValue, hashesEqual, hmacValue, keyFingerprint } from "@/lib/crypto";
import { copyOutStatement } from "./catalog";
import { copyDigest, copyOut } from "./digest";
import { BackupError, type Manifest, type TableEntry, wrongMasterKey } from "./manifest";

type AuditChain = Manifest["auditChains"][number];

type Tx = postgres.TransactionSql;

/** Reads each table back through the same COPY the backup used: its rows must hash to the manifest's. */
export async function verifyTables(tx: Tx, tables: TableEntry[], orderBy: Map<string, string[]>) {
  for (const t of tables) {
    const digest = copyDigest();
    await copyOut(tx, copyOutStatement({ ...t, orderBy: orderBy.get(t.name) ?? t.columns }), digest.update);
    const got = digest.result();
    if (got.rows !== t.rows || got.sha256 !== t.sha256) {
      throw new BackupError(
        `${t.name} holds ${got.rows} rows after loading, the backup ${t.rows}, or their checksums differ`,
      );
    }
  }
}

/** Each organization's audit chain, walked by verify_audit_chain: rows checked and the first broken row. */
export async function auditChains(tx: Tx): Promise<AuditChain[]> {
  const rows = await tx<{ organization_id: string; checked: string; broken_seq: string | null }[]>`
    select o.id as organization_id, v.checked::text, v.broken_seq::text
      from organizations o cross join lateral verify_audit_chain(o.id) v order by o.id`;
  return rows.map((r) => ({
    organizationId: r.organization_id,
    rows: Number(r.checked),
    brokenSeq: r.broken_seq === null ? null : Number(r.broken_seq),
  }));
}

/** The restored chains verify exactly as they did when the backup was made. */
export async function verifyAuditChains(tx: Tx, expected: AuditChain[]) {
  const got = new Map((await auditChains(tx)).map((c) => [c.organizationId, c]));
  for (const e of expected) {
    const g = got.get(e.organizationId);
    if (!g || g.rows !== e.rows || g.brokenSeq !== e.brokenSeq) {
      throw new BackupError(
        `the audit chain of organization ${e.organizationId} does not verify as it did at backup time ` +
          `(${e.rows} rows, ${e.brokenSeq === null ? "intact" : `broken at ${e.brokenSeq}`})`,
      );
    }
  }
  if (got.size !== expected.length)
    throw new BackupError("the restored organizations differ from the backup's");
  return { chains: expected.length, broken: expected.filter((e) => e.brokenSeq !== null).length };
}

/**
 * Decrypts a few values of every organization with the master key and checks each against its HMAC: proves the
 * key unwraps the organization's keys and the ciphertexts are intact. No value leaves this function.
 */
export async function verifyDecryption(tx: Tx, masterKey: Keyring | Buffer, perOrganization = 3) {
  const given = keksOf(masterKey).map(keyFingerprint);
  const organizations = await tx<{ id: string }[]>`select id from organizations order by id`;
  let checked = 0;
  for (const { id } of organizations) {
    const rows = await tx<
      {
        keyId: string;
        keyType: string;
        keyStatus: string;
        keyVersion: number;
        wrappedKey: string;
        kekFingerprint: string;
      }[]
    >`select key_id as "keyId", key_type as "keyType", key_status as "keyStatus", key_version as "keyVersion",
             wrapped_key as "wrappedKey", kek_fingerprint as "kekFingerprint"
        from encryption_keys where organization_id = ${id}`;
    const wrongKey = rows.find((r) => r.keyStatus !== "revoked" && !given.includes(r.kekFingerprint));
    if (wrongKey) throw new BackupError(wrongMasterKey(given.join(", "), [wrongKey.kekFingerprint]));
    let keys: ReturnType<typeof unwrapOrgKeys>;
    try {
      keys = unwrapOrgKeys(rows, id, masterKey);
    } catch (error) {
      throw new BackupError(
        `the keys of organization ${id} do not unwrap with this master key: ${String(error)}`,
      );
    }
    const values = await tx<
      {
        variable_id: string;
        environment_id: string;
        encrypted_value: string;
        encryption_key_id: string;
        value_hash: string;
      }[]
    >`select variable_id, environment_id, encrypted_value, encryption_key_id, value_hash
        from environment_variable_values where organization_id = ${id}
       order by md5(id::text) limit ${perOrganization}`;
    for (const v of values) {
      const dek = keys.byId.get(v.encryption_key_id);
      let plain: string;
      try {
        if (!dek) throw new Error(`no key ${v.encryption_key_id}`);
        plain = decryptValue(dek, v.encrypted_value, {
          organizationId: id,
          variableId: v.variable_id,
          environmentId: v.environment_id,
        });
      } catch {
        throw new BackupError(`a value of organization ${id} does not decrypt with this master key`);
      }
      if (!hashesEqual(hmacValue(keys.hmacKey, plain), v.value_hash))
        throw new BackupError(`a value of organization ${id} does not match its hash`);
      checked++;
    }
  }
  return { organizations: organizations.length, values: checked };
}
