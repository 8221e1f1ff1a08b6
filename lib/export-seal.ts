import { createCipheriv, randomBytes, scrypt } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * A values export sealed with a passphrase (issue 17, GDPR / portability): scrypt (N 2^17, r 8, p 1: OWASP's
 * recommendation, 128 MiB and a few hundred milliseconds per try) derives a 256-bit key from the passphrase and a
 * random salt; AES-256-GCM encrypts the JSON, with the envelope's header as additional data so no parameter can
 * be swapped. The file is JSON: what it is, how to open it, and the ciphertext. The CLI opens it
 * (`ringbearer open-export`, cli/open-export.mjs).
 */
export const SEALED_FORMAT = "ringbearer.sealed-export/1";
const KDF = { name: "scrypt", N: 2 ** 17, r: 8, p: 1 } as const;
const MAX_MEMORY = 256 * 1024 * 1024;

export type SealedExport = {
  format: typeof SEALED_FORMAT;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  cipher: "aes-256-gcm";
  iv: string;
  tag: string;
  ciphertext: string;
};

/** Off the event loop (libuv's pool): a few hundred milliseconds of work that would otherwise stall the server. */
const keyFor = (passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }) =>
  scryptAsync(passphrase.normalize("NFC"), salt, 32, { ...kdf, maxmem: MAX_MEMORY });

const header = (e: Omit<SealedExport, "tag" | "ciphertext">) =>
  Buffer.from(JSON.stringify([e.format, e.kdf, e.cipher, e.iv]), "utf8");

export async function sealExport(plaintext: string, passphrase: string): Promise<SealedExport> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await keyFor(passphrase, salt, KDF);
  const head: Omit<SealedExport, "tag" | "ciphertext"> = {
    format: SEALED_FORMAT,
    kdf: { ...KDF, salt: salt.toString("base64") },
    cipher: "aes-256-gcm" as const,
    iv: iv.toString("base64"),
  };
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(header(head));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ...head, tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") };
}
