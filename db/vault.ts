import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { encryptionKeys, keySettings } from "@/db/schema";
import {
  DecryptionError,
  decryptValue,
  encryptValue,
  generateKey,
  hashesEqual,
  hmacValue,
  keyFingerprint,
  openSecret,
  sealSecret,
  unwrapKey,
  type ValueContext,
  wrapKey,
} from "@/lib/crypto";
import { type Keyring, kekFor, masterKey, masterKeyring } from "./master-keys";

/**
 * The vault: the only place that holds keys and encrypts or decrypts (checked by npm run layers). Services ask
 * it for an organization's vault and get operations, never keys: values are encrypted under the active data
 * key with their organization, variable and environment as associated data; targets' shared secrets are sealed
 * the same way under an AAD naming the target. What the master key itself holds (the keyring, the token-hash
 * key, TOTP seeds) is in db/master-keys.ts.
 */

/** An organization's unwrapped keys, held in memory only while the process runs. */
export type OrgKeys = {
  dataKeyId: string;
  dataKey: Buffer;
  /** The active hash key: every stored value_hash is under it. */
  hmacKey: Buffer;
  hmacKeyId: string;
  /** A rotation's next hash key, until its swap (migration 0041). */
  pendingHmacKey?: Buffer;
  byId: Map<string, Buffer>;
};

const cache = new Map<string, Buffer>();

const aadFor = (organizationId: string, keyId: string) => `ringbearer:key:v1:${organizationId}:${keyId}`;

/** Creates the organization's first data key and its HMAC key, wrapped by the master key. */
export async function createOrgKeys(tx: Tx, organizationId: string, kek: Buffer = masterKey()) {
  const fingerprint = keyFingerprint(kek);
  for (const keyType of ["data", "hmac"] as const) {
    const keyId = `${keyType}:${organizationId}:1`;
    await tx.insert(encryptionKeys).values({
      organizationId,
      keyId,
      keyType,
      keyVersion: 1,
      keyStatus: "active",
      wrappedKey: wrapKey(kek, generateKey(), aadFor(organizationId, keyId)),
      kekFingerprint: fingerprint,
    });
  }
}

/** A rotation's new hash-key version, `pending` until the rotation swaps every hash to it; returns its id. */
export async function createHashKeyVersion(
  tx: Tx,
  organizationId: string,
  version: number,
  kek = masterKey(),
) {
  const keyId = `hmac:${organizationId}:${version}`;
  await tx.insert(encryptionKeys).values({
    organizationId,
    keyId,
    keyType: "hmac",
    keyVersion: version,
    keyStatus: "pending",
    wrappedKey: wrapKey(kek, generateKey(), aadFor(organizationId, keyId)),
    kekFingerprint: keyFingerprint(kek),
  });
  return keyId;
}

/** A new data-key version, active at once for new writes, wrapped by the master key; returns its id. */
export async function createDataKeyVersion(
  tx: Tx,
  organizationId: string,
  version: number,
  kek = masterKey(),
) {
  const keyId = `data:${organizationId}:${version}`;
  await tx.insert(encryptionKeys).values({
    organizationId,
    keyId,
    keyType: "data",
    keyVersion: version,
    keyStatus: "active",
    wrappedKey: wrapKey(kek, generateKey(), aadFor(organizationId, keyId)),
    kekFingerprint: keyFingerprint(kek),
  });
  return keyId;
}

/**
 * Loads and unwraps the organization's keys (RLS limits the rows to the current organization). Data keys older
 * than the organization's minimum decryption version (key_settings) are left out: nothing decrypts with them.
 */
export async function orgKeys(
  tx: Tx,
  organizationId: string,
  ring: Keyring | Buffer = masterKeyring(),
): Promise<OrgKeys> {
  // One statement, one snapshot: the key rows, the organization's minimum decryption version, and — named as
  // the hash key this transaction hashes under — the active hash key among these very rows. A write after a
  // hash-key rotation swapped every hash to another key is then refused as key_rotated, not stored with a stale
  // hash (migration 0041, hash_key_gate).
  const rows = await tx
    .select({
      keyId: encryptionKeys.keyId,
      keyType: encryptionKeys.keyType,
      keyStatus: encryptionKeys.keyStatus,
      keyVersion: encryptionKeys.keyVersion,
      wrappedKey: encryptionKeys.wrappedKey,
      kekFingerprint: encryptionKeys.kekFingerprint,
      minVersion: sql<number | null>`(select ${keySettings.minDecryptionVersion} from ${keySettings}
        where ${keySettings.organizationId} = ${organizationId})`,
      hashKey: sql<string>`set_config('ringbearer.hash_key', coalesce((select k.key_id from encryption_keys k
        where k.organization_id = ${organizationId} and k.key_type = 'hmac' and k.key_status = 'active'), ''), true)`,
    })
    .from(encryptionKeys)
    .where(eq(encryptionKeys.organizationId, organizationId));
  return unwrapOrgKeys(rows, organizationId, ring, rows[0]?.minVersion ?? 1);
}

export type WrappedKeyRow = {
  keyId: string;
  keyType: string;
  keyStatus: string;
  keyVersion: number;
  wrappedKey: string;
  kekFingerprint: string;
};

/**
 * Unwraps an organization's key rows with the master key (or, mid-rotation, the previous one: each row names its
 * wrapper's fingerprint); refuses, naming the fingerprint, when a row was wrapped by another master key (also
 * used by the restore, which reads the rows itself).
 */
export function unwrapOrgKeys(
  rows: WrappedKeyRow[],
  organizationId: string,
  ring: Keyring | Buffer,
  minDecryptionVersion = 1,
): OrgKeys {
  const byId = new Map<string, Buffer>();
  let active: { keyId: string; version: number } | undefined;
  let hmacKey: Buffer | undefined;
  let hmacKeyId = "";
  let pendingHmacKey: Buffer | undefined;
  for (const row of rows) {
    if (row.keyStatus === "revoked") continue;
    // Hash keys a rotation moved away from are never needed again.
    if (row.keyType === "hmac" && row.keyStatus !== "active" && row.keyStatus !== "pending") continue;
    if (row.keyType === "data" && row.keyVersion < minDecryptionVersion && row.keyStatus !== "active")
      continue;
    const kek = kekFor(ring, row.kekFingerprint, `encryption key ${row.keyId}`);
    const cacheKey = `${row.kekFingerprint}:${row.keyId}`;
    const key = cache.get(cacheKey) ?? unwrapKey(kek, row.wrappedKey, aadFor(organizationId, row.keyId));
    cache.set(cacheKey, key);
    if (row.keyType === "hmac" && row.keyStatus === "active") {
      hmacKey = key;
      hmacKeyId = row.keyId;
    }
    if (row.keyType === "hmac" && row.keyStatus === "pending") pendingHmacKey = key;
    if (row.keyType === "data") {
      byId.set(row.keyId, key);
      if (row.keyStatus === "active" && (!active || row.keyVersion > active.version))
        active = { keyId: row.keyId, version: row.keyVersion };
    }
  }
  if (!active || !hmacKey) throw new Error(`organization ${organizationId} has no active encryption keys`);
  return {
    dataKeyId: active.keyId,
    dataKey: byId.get(active.keyId) as Buffer,
    hmacKey,
    hmacKeyId,
    pendingHmacKey,
    byId,
  };
}

export { DecryptionError };

/** A value's hash under the active hash key (`from`) and under a rotation's pending one (`to`). */
export type HashPair = { from: string; to: string };

/** Something encrypted, with the id of the data key that encrypted it. */
export type Sealed = { ciphertext: string; keyId: string };

export type OrgVault = {
  /** The keyed hash (HMAC) of a value: compares values without decrypting them; never a plain hash. */
  hash(plaintext: string): string;
  encryptValue(plaintext: string, at: ValueContext): Sealed;
  decryptValue(sealed: Sealed, at: ValueContext): string;
  sealSecret(plaintext: string, aad: string): Sealed;
  openSecret(sealed: Sealed, aad: string): string;
  /**
   * Re-encrypts under the active data key (key rotation); the plaintext stays inside this call. While a hash-key
   * rotation is under way, also the value's hash under the active key and under the pending one.
   */
  resealValue(sealed: Sealed, at: ValueContext): Sealed & { hashes?: HashPair };
  /** A value's hash under the active and the pending hash key (a rotation's swap); null without a pending key. */
  rehash(sealed: Sealed, at: ValueContext): HashPair | null;
  resealSecret(sealed: Sealed, aad: string): Sealed;
  /**
   * Whether a stored value decrypts and matches its stored hash (an integrity check); the plaintext never leaves
   * this call. False for a ciphertext that does not open (wrong key, tampered) or a hash that differs.
   */
  checkValue(sealed: Sealed & { hash: string }, at: ValueContext): boolean;
  /** The active data key's id: what a rotation re-encrypts to. */
  activeKeyId: string;
};

function keyOf(keys: OrgKeys, keyId: string): Buffer {
  const key = keys.byId.get(keyId);
  if (!key)
    throw new DecryptionError(
      `data key ${keyId} is revoked or older than the organization's minimum decryption version`,
    );
  return key;
}

/** The organization's vault for this transaction (its keys are unwrapped once and cached by id). */
export async function orgVault(tx: Tx, organizationId: string): Promise<OrgVault> {
  const keys = await orgKeys(tx, organizationId);
  return {
    hash: (plaintext) => hmacValue(keys.hmacKey, plaintext),
    encryptValue: (plaintext, at) => ({
      ciphertext: encryptValue(keys.dataKey, plaintext, at),
      keyId: keys.dataKeyId,
    }),
    decryptValue: ({ ciphertext, keyId }, at) => decryptValue(keyOf(keys, keyId), ciphertext, at),
    sealSecret: (plaintext, aad) => ({
      ciphertext: sealSecret(keys.dataKey, plaintext, aad),
      keyId: keys.dataKeyId,
    }),
    openSecret: ({ ciphertext, keyId }, aad) => openSecret(keyOf(keys, keyId), ciphertext, aad),
    resealValue: ({ ciphertext, keyId }, at) => {
      const plaintext = decryptValue(keyOf(keys, keyId), ciphertext, at);
      const next = keys.pendingHmacKey;
      return {
        ciphertext: encryptValue(keys.dataKey, plaintext, at),
        keyId: keys.dataKeyId,
        hashes: next && { from: hmacValue(keys.hmacKey, plaintext), to: hmacValue(next, plaintext) },
      };
    },
    rehash: ({ ciphertext, keyId }, at) => {
      const next = keys.pendingHmacKey;
      if (!next) return null;
      const plaintext = decryptValue(keyOf(keys, keyId), ciphertext, at);
      return { from: hmacValue(keys.hmacKey, plaintext), to: hmacValue(next, plaintext) };
    },
    resealSecret: ({ ciphertext, keyId }, aad) => ({
      ciphertext: sealSecret(keys.dataKey, openSecret(keyOf(keys, keyId), ciphertext, aad), aad),
      keyId: keys.dataKeyId,
    }),
    checkValue: ({ ciphertext, keyId, hash }, at) => {
      try {
        return hashesEqual(hmacValue(keys.hmacKey, decryptValue(keyOf(keys, keyId), ciphertext, at)), hash);
      } catch {
        return false;
      }
    },
    activeKeyId: keys.dataKeyId,
  };
}

/** The AAD an organization key is wrapped under (a master-key rotation rewraps under the same). */
export const orgKeyAad = aadFor;

export {
  firstTokenHashKey,
  installationAad,
  invitationHash,
  type Keyring,
  keksOf,
  masterKey,
  masterKeyring,
  openTotp,
  openTotpWith,
  rewrapKey,
  sealTotp,
  sealTotpWith,
  tokenHash,
} from "./master-keys";
