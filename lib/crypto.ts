import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/**
 * Envelope encryption: a master key (KEK) wraps per-organization keys; values are AES-256-GCM with a random
 * 96-bit nonce and AAD binding the ciphertext to its row. Serialised as `v1.<nonce>.<ciphertext>.<tag>` (base64).
 */
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const NONCE_BYTES = 12;

export class DecryptionError extends Error {
  constructor(reason = "ciphertext could not be authenticated") {
    super(`decryption failed: ${reason}`);
    this.name = "DecryptionError";
  }
}

export type ValueContext = { organizationId: string; variableId: string; environmentId: string };

export function parseMasterKey(input: string): Buffer {
  const raw = input.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) key = Buffer.from(raw, "hex");
  else if (/^[A-Za-z0-9+/]{43}=$/.test(raw)) key = Buffer.from(raw, "base64");
  if (!key || key.length !== KEY_BYTES) {
    throw new Error(
      "RINGBEARER_MASTER_KEY must be 32 bytes encoded as base64 (44 characters) or hex (64 characters)",
    );
  }
  return key;
}

export const generateKey = (): Buffer => randomBytes(KEY_BYTES);
export const encodeKey = (key: Buffer): string => key.toString("base64");

/** A short, non-reversible name for a key, to tell which master key wrapped what. */
export function keyFingerprint(key: Buffer): string {
  return createHmac("sha256", key).update("ringbearer:fingerprint").digest("hex").slice(0, 16);
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ["v1", nonce, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === "string" ? p : p.toString("base64")))
    .join(".");
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== "v1") throw new DecryptionError("unknown format");
  const [nonce, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, "base64"));
  if (nonce.length !== NONCE_BYTES || tag.length !== 16) throw new DecryptionError("malformed ciphertext");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

export const wrapKey = (kek: Buffer, key: Buffer, aad: string): string => seal(kek, key, aad);

export function unwrapKey(kek: Buffer, wrapped: string, aad: string): Buffer {
  const key = open(kek, wrapped, aad);
  if (key.length !== KEY_BYTES) throw new DecryptionError("wrapped key has the wrong length");
  return key;
}

export const valueAad = (ctx: ValueContext): string =>
  `ringbearer:value:v1:${ctx.organizationId}:${ctx.variableId}:${ctx.environmentId}`;

export const encryptValue = (dek: Buffer, plaintext: string, ctx: ValueContext): string =>
  seal(dek, Buffer.from(plaintext, "utf8"), valueAad(ctx));

export const decryptValue = (dek: Buffer, ciphertext: string, ctx: ValueContext): string =>
  open(dek, ciphertext, valueAad(ctx)).toString("utf8");

/** value_hash: HMAC-SHA-256 under the organization's hmac key (never a plain hash of a secret). */
export const hmacValue = (hmacKey: Buffer, plaintext: string): string =>
  createHmac("sha256", hmacKey).update(plaintext, "utf8").digest("hex");

/** A key for one purpose, derived from the master key (HKDF-SHA-256, the purpose as its info). */
export const deriveKey = (master: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), purpose, KEY_BYTES));

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A small secret sealed under the master key, its AAD naming the owner (e.g. a user's TOTP secret). */
export const sealSecret = (kek: Buffer, plaintext: string, aad: string): string =>
  seal(kek, Buffer.from(plaintext, "utf8"), aad);

export const openSecret = (kek: Buffer, sealed: string, aad: string): string =>
  open(kek, sealed, aad).toString("utf8");

/**
 * The background job runner's proof for `job_contexts()`: derived from the master key, so only a process holding
 * it can list the organizations' job contexts. The database keeps only `jobRunnerVerifier(proof)`.
 */
export const jobRunnerProof = (kek: Buffer): string =>
  createHmac("sha256", kek).update("ringbearer:job-runner:v1").digest("hex");

/** SHA-256 of the proof (256 bits from an HMAC: nothing to guess from the hash). */
export const jobRunnerVerifier = (proof: string): string =>
  createHash("sha256").update(proof, "utf8").digest("hex");
