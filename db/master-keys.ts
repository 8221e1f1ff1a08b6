import { eq } from "drizzle-orm";
import { type Database, getDb, type Tx } from "@/db/client";
import { installationKeys } from "@/db/schema";
import {
  DecryptionError,
  deriveKey,
  hmacValue,
  keyFingerprint,
  parseMasterKey,
  unwrapKey,
  wrapKey,
} from "@/lib/crypto";
import { openTotpSecret, sealTotpSecret } from "@/lib/totp";

/**
 * What the master key itself holds: the keyring (the current master key and, during a rotation, the previous
 * one), the installation's own keys (installation_keys, migration 0040: the token-hash key), and users' TOTP
 * seeds. Organizations' keys are in db/vault.ts; the rotation that rewraps all of these, db/master-rotation.ts.
 */

export function masterKey(): Buffer {
  const raw = process.env.RINGBEARER_MASTER_KEY;
  if (!raw) throw new Error("RINGBEARER_MASTER_KEY is not set");
  return parseMasterKey(raw);
}

/**
 * The master key and, while a master-key rotation is under way, the previous one (RINGBEARER_MASTER_KEY_PREVIOUS):
 * what the previous key wraps is still opened; everything new is wrapped by the current key.
 */
export type Keyring = { current: Buffer; previous?: Buffer };

let ringOf: { raw: string; ring: Keyring } | undefined;

/** Parsed once per value of the two variables (a test or the rotation command may change them). */
export function masterKeyring(): Keyring {
  const previous = process.env.RINGBEARER_MASTER_KEY_PREVIOUS?.trim();
  const raw = `${process.env.RINGBEARER_MASTER_KEY ?? ""}\n${previous ?? ""}`;
  if (ringOf?.raw !== raw)
    ringOf = {
      raw,
      ring: { current: masterKey(), previous: previous ? parseMasterKey(previous) : undefined },
    };
  return ringOf.ring;
}

export const keksOf = (ring: Keyring | Buffer): Buffer[] =>
  Buffer.isBuffer(ring) ? [ring] : ring.previous ? [ring.current, ring.previous] : [ring.current];

/** Each master key's fingerprint, computed once per key (not once per row it opens). */
const fingerprints = new WeakMap<Buffer, string>();
function fingerprintOf(kek: Buffer): string {
  const known = fingerprints.get(kek);
  if (known) return known;
  const fingerprint = keyFingerprint(kek);
  fingerprints.set(kek, fingerprint);
  return fingerprint;
}

/** The master key of a ring that wrapped something, by the fingerprint stored beside it. */
export function kekFor(ring: Keyring | Buffer, fingerprint: string, what: string): Buffer {
  const kek = keksOf(ring).find((k) => fingerprintOf(k) === fingerprint);
  if (!kek)
    throw new Error(
      `${what} was wrapped by a different master key (fingerprint ${fingerprint}); ` +
        "start Ringbearer with the RINGBEARER_MASTER_KEY this database was created with " +
        "(during a master-key rotation, the old one as RINGBEARER_MASTER_KEY_PREVIOUS)",
    );
  return kek;
}

const TOKEN_HASH_DERIVATION = "ringbearer:token-hash:v1";
const installationAad = (purpose: string) => `ringbearer:installation-key:v1:${purpose}`;

/**
 * The token-hash key an installation starts with: derived from the master key it was created with. The migrator
 * stores it wrapped (installation_keys, migration 0040), so it outlives that master key.
 */
export function firstTokenHashKey(ring: Keyring) {
  const original = ring.previous ?? ring.current;
  const key = deriveKey(original, TOKEN_HASH_DERIVATION);
  return {
    purpose: "token-hash" as const,
    wrappedKey: wrapKey(ring.current, key, installationAad("token-hash")),
    kekFingerprint: keyFingerprint(ring.current),
  };
}

/** Opens an installation key's row with whichever master key of the ring wrapped it. */
export function unwrapInstallationKey(
  ring: Keyring | Buffer,
  row: { purpose: string; wrappedKey: string; kekFingerprint: string },
) {
  const kek = kekFor(ring, row.kekFingerprint, `installation key ${row.purpose}`);
  return unwrapKey(kek, row.wrappedKey, installationAad(row.purpose));
}

/** Rewraps a key (organization or installation) from the previous master key to the current one. */
export function rewrapKey(ring: Required<Keyring>, wrapped: string, aad: string) {
  return {
    wrappedKey: wrapKey(ring.current, unwrapKey(ring.previous, wrapped, aad), aad),
    kekFingerprint: keyFingerprint(ring.current),
  };
}

export { installationAad };

/** Per pool, the key read once; by its wrapped bytes, the key unwrapped once (reads inside a transaction). */
const tokenKeys = new WeakMap<object, Promise<Buffer>>();
const unwrapped = new Map<string, Buffer>();

async function loadTokenHashKey(db: Database | Tx): Promise<Buffer> {
  const ring = masterKeyring();
  const [row] = await db
    .select({
      purpose: installationKeys.purpose,
      wrappedKey: installationKeys.wrappedKey,
      kekFingerprint: installationKeys.kekFingerprint,
    })
    .from(installationKeys)
    .where(eq(installationKeys.purpose, "token-hash"));
  // Not migrated to 0040 yet: the derivation the stored row will hold.
  if (!row) return deriveKey(ring.previous ?? ring.current, TOKEN_HASH_DERIVATION);
  const id = `${row.kekFingerprint}:${row.wrappedKey}`;
  const key = unwrapped.get(id) ?? unwrapInstallationKey(ring, row);
  unwrapped.set(id, key);
  return key;
}

/**
 * How a token is stored (service tokens, invitations, CLI logins, OAuth states): HMAC-SHA-256 under the
 * installation's token-hash key, never a plain hash — a copy of the table alone cannot test guesses. Not per
 * organization: a token is looked up before anyone knows whose it is. The key (wrapped by the master key) is read
 * from the database it is given, once per pool; it never changes, so a master-key rotation keeps every token.
 */
export async function tokenHash(token: string, db: Database | Tx = getDb()): Promise<string> {
  if ("rollback" in db) return hmacValue(await loadTokenHashKey(db), token);
  let key = tokenKeys.get(db);
  if (!key) {
    key = loadTokenHashKey(db);
    tokenKeys.set(db, key);
    key.catch(() => tokenKeys.delete(db));
  }
  return hmacValue(await key, token);
}

/** An invitation token's keyed hash: the same key as tokens', apart by its prefix (never equal to a token's). */
export const invitationHash = (token: string, db?: Database | Tx): Promise<string> =>
  tokenHash(`invitation:${token}`, db);

/**
 * A user's TOTP seed, sealed under the master key with an AAD naming the user; opened with the previous master
 * key too while a rotation is under way.
 */
export const sealTotp = (userId: string, secret: string) => sealTotpSecret(masterKey(), userId, secret);

/** A TOTP seed opened with one given master key, or undefined when that key did not seal it (rotation). */
export function openTotpWith(kek: Buffer, userId: string, sealed: string): string | undefined {
  try {
    return openTotpSecret(kek, userId, sealed);
  } catch (error) {
    if (error instanceof DecryptionError) return undefined;
    throw error;
  }
}

export const sealTotpWith = (kek: Buffer, userId: string, secret: string) =>
  sealTotpSecret(kek, userId, secret);

export function openTotp(userId: string, sealed: string): string {
  const [current, previous] = keksOf(masterKeyring());
  try {
    return openTotpSecret(current, userId, sealed);
  } catch (error) {
    if (!previous || !(error instanceof DecryptionError)) throw error;
    return openTotpSecret(previous, userId, sealed);
  }
}
