import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { encryptionKeys, keySettings } from "@/db/schema";
import {
  DecryptionError,
  decryptValue,
  deriveKey,
  encryptValue,
  generateKey,
  hmacValue,
  keyFingerprint,
  openSecret,
  parseMasterKey,
  sealSecret,
  unwrapKey,
  type ValueContext,
  wrapKey,
} from "@/lib/crypto";
import { openTotpSecret, sealTotpSecret } from "@/lib/totp";

/**
 * The vault: the only place that holds keys and encrypts or decrypts (checked by npm run layers). Services ask
 * it for an organization's vault and get operations, never keys: values are encrypted under the active data
 * key with their organization, variable and environment as associated data; targets' shared secrets are sealed
 * the same way under an AAD naming the target; users' TOTP secrets are sealed under the master key itself.
 */

/** An organization's unwrapped keys, held in memory only while the process runs. */
export type OrgKeys = { dataKeyId: string; dataKey: Buffer; hmacKey: Buffer; byId: Map<string, Buffer> };

const cache = new Map<string, Buffer>();

export function masterKey(): Buffer {
  const raw = process.env.RINGBEARER_MASTER_KEY;
  if (!raw) throw new Error("RINGBEARER_MASTER_KEY is not set");
  return parseMasterKey(raw);
}

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
export async function orgKeys(tx: Tx, organizationId: string, kek: Buffer = masterKey()): Promise<OrgKeys> {
  const [settings] = await tx
    .select({ minVersion: keySettings.minDecryptionVersion })
    .from(keySettings)
    .where(eq(keySettings.organizationId, organizationId));
  const rows = await tx
    .select({
      keyId: encryptionKeys.keyId,
      keyType: encryptionKeys.keyType,
      keyStatus: encryptionKeys.keyStatus,
      keyVersion: encryptionKeys.keyVersion,
      wrappedKey: encryptionKeys.wrappedKey,
      kekFingerprint: encryptionKeys.kekFingerprint,
    })
    .from(encryptionKeys)
    .where(eq(encryptionKeys.organizationId, organizationId));
  return unwrapOrgKeys(rows, organizationId, kek, settings?.minVersion ?? 1);
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
 * Unwraps an organization's key rows with the master key; refuses, naming the fingerprint, when they were
 * wrapped by another master key (also used by the restore, which reads the rows itself).
 */
export function unwrapOrgKeys(
  rows: WrappedKeyRow[],
  organizationId: string,
  kek: Buffer,
  minDecryptionVersion = 1,
): OrgKeys {
  const fingerprint = keyFingerprint(kek);
  const byId = new Map<string, Buffer>();
  let active: { keyId: string; version: number } | undefined;
  let hmacKey: Buffer | undefined;
  for (const row of rows) {
    if (row.keyStatus === "revoked") continue;
    if (row.keyType === "data" && row.keyVersion < minDecryptionVersion && row.keyStatus !== "active")
      continue;
    if (row.kekFingerprint !== fingerprint) {
      throw new Error(
        `encryption key ${row.keyId} was wrapped by a different master key (fingerprint ${row.kekFingerprint}); ` +
          "start Ringbearer with the RINGBEARER_MASTER_KEY this database was created with",
      );
    }
    const cacheKey = `${fingerprint}:${row.keyId}`;
    const key = cache.get(cacheKey) ?? unwrapKey(kek, row.wrappedKey, aadFor(organizationId, row.keyId));
    cache.set(cacheKey, key);
    if (row.keyType === "hmac") hmacKey = key;
    if (row.keyType === "data") {
      byId.set(row.keyId, key);
      if (row.keyStatus === "active" && (!active || row.keyVersion > active.version))
        active = { keyId: row.keyId, version: row.keyVersion };
    }
  }
  if (!active || !hmacKey) throw new Error(`organization ${organizationId} has no active encryption keys`);
  return { dataKeyId: active.keyId, dataKey: byId.get(active.keyId) as Buffer, hmacKey, byId };
}

export { DecryptionError };

/** Something encrypted, with the id of the data key that encrypted it. */
export type Sealed = { ciphertext: string; keyId: string };

export type OrgVault = {
  /** The keyed hash (HMAC) of a value: compares values without decrypting them; never a plain hash. */
  hash(plaintext: string): string;
  encryptValue(plaintext: string, at: ValueContext): Sealed;
  decryptValue(sealed: Sealed, at: ValueContext): string;
  sealSecret(plaintext: string, aad: string): Sealed;
  openSecret(sealed: Sealed, aad: string): string;
  /** Re-encrypts under the active data key (key rotation); the plaintext stays inside this call. */
  resealValue(sealed: Sealed, at: ValueContext): Sealed;
  resealSecret(sealed: Sealed, aad: string): Sealed;
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
    resealValue: ({ ciphertext, keyId }, at) => ({
      ciphertext: encryptValue(keys.dataKey, decryptValue(keyOf(keys, keyId), ciphertext, at), at),
      keyId: keys.dataKeyId,
    }),
    resealSecret: ({ ciphertext, keyId }, aad) => ({
      ciphertext: sealSecret(keys.dataKey, openSecret(keyOf(keys, keyId), ciphertext, aad), aad),
      keyId: keys.dataKeyId,
    }),
    activeKeyId: keys.dataKeyId,
  };
}

const tokenKeys = new Map<string, Buffer>();

/**
 * How a token is stored (service tokens): HMAC-SHA-256 under a key derived from the master key for this one
 * purpose, never a plain hash — a copy of the table alone cannot test guesses. Not per organization: a token
 * is looked up before anyone knows whose it is.
 */
export function tokenHash(token: string): string {
  const master = masterKey();
  const id = keyFingerprint(master);
  const key = tokenKeys.get(id) ?? deriveKey(master, "ringbearer:token-hash:v1");
  tokenKeys.set(id, key);
  return hmacValue(key, token);
}

/** An invitation token's keyed hash: the same key as tokens', apart by its prefix (never equal to a token's). */
export const invitationHash = (token: string): string => tokenHash(`invitation:${token}`);

/** A user's TOTP seed, sealed under the master key with an AAD naming the user. */
export const sealTotp = (userId: string, secret: string) => sealTotpSecret(masterKey(), userId, secret);
export const openTotp = (userId: string, sealed: string) => openTotpSecret(masterKey(), userId, sealed);
