import { describe, expect, it } from "vitest";
import {
  DecryptionError,
  decryptValue,
  encodeKey,
  encryptValue,
  generateKey,
  hashesEqual,
  hmacValue,
  keyFingerprint,
  parseMasterKey,
  unwrapKey,
  wrapKey,
} from "@/lib/crypto";

const row = { organizationId: "org-1", variableId: "var-1", environmentId: "env-1" };

/** Flips one bit of one base64 field of a `v1.<nonce>.<ciphertext>.<tag>` string. */
function tamper(sealed: string, field: 1 | 2 | 3): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[field], "base64");
  bytes[0] ^= 0x01;
  parts[field] = bytes.toString("base64");
  return parts.join(".");
}

describe("value encryption", () => {
  it("round-trips unicode, multiline and empty values", () => {
    const dek = generateKey();
    for (const value of ["sk_live_abc123", "line one\nline two\n", "💍 Ünïcödé", ""]) {
      expect(decryptValue(dek, encryptValue(dek, value, row), row)).toBe(value);
    }
  });

  it("never produces the same ciphertext twice and never contains the plaintext", () => {
    const dek = generateKey();
    const a = encryptValue(dek, "sk_live_same", row);
    const b = encryptValue(dek, "sk_live_same", row);
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_live_same");
    expect(Buffer.from(a.split(".")[2], "base64").toString("utf8")).not.toContain("sk_live_same");
  });

  it("refuses a ciphertext moved to another variable, environment or organization", () => {
    const dek = generateKey();
    const sealed = encryptValue(dek, "secret", row);
    expect(() => decryptValue(dek, sealed, { ...row, variableId: "var-2" })).toThrow(DecryptionError);
    expect(() => decryptValue(dek, sealed, { ...row, environmentId: "env-2" })).toThrow(DecryptionError);
    expect(() => decryptValue(dek, sealed, { ...row, organizationId: "org-2" })).toThrow(DecryptionError);
  });

  it("refuses the wrong key", () => {
    const sealed = encryptValue(generateKey(), "secret", row);
    expect(() => decryptValue(generateKey(), sealed, row)).toThrow(DecryptionError);
  });

  it("refuses a tampered tag, ciphertext or nonce", () => {
    const dek = generateKey();
    const sealed = encryptValue(dek, "secret value", row);
    for (const field of [1, 2, 3] as const) {
      expect(() => decryptValue(dek, tamper(sealed, field), row)).toThrow(DecryptionError);
    }
  });

  it("refuses malformed input with a DecryptionError, not a crash", () => {
    const dek = generateKey();
    for (const bad of ["", "v1.a.b", "v2.AAAA.AAAA.AAAA", "plaintext"]) {
      expect(() => decryptValue(dek, bad, row)).toThrow(DecryptionError);
    }
  });

  it("does not echo the value in the error", () => {
    const dek = generateKey();
    const sealed = encryptValue(dek, "sk_live_leak", row);
    try {
      decryptValue(generateKey(), sealed, row);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("sk_live_leak");
    }
  });
});

describe("key wrapping", () => {
  it("unwraps with the same master key and the same binding only", () => {
    const kek = generateKey();
    const dek = generateKey();
    const wrapped = wrapKey(kek, dek, "org-1:data:1");
    expect(unwrapKey(kek, wrapped, "org-1:data:1").equals(dek)).toBe(true);
    expect(() => unwrapKey(generateKey(), wrapped, "org-1:data:1")).toThrow(DecryptionError);
    expect(() => unwrapKey(kek, wrapped, "org-2:data:1")).toThrow(DecryptionError);
  });

  it("rejects a wrapped key of the wrong length", () => {
    const kek = generateKey();
    const wrapped = wrapKey(kek, Buffer.alloc(16, 1), "aad");
    expect(() => unwrapKey(kek, wrapped, "aad")).toThrow(/wrong length/);
  });
});

describe("value hashes", () => {
  it("hash equal values in two organizations differently", () => {
    const orgA = generateKey();
    const orgB = generateKey();
    expect(hmacValue(orgA, "re_same_key")).not.toBe(hmacValue(orgB, "re_same_key"));
    expect(hmacValue(orgA, "re_same_key")).toBe(hmacValue(orgA, "re_same_key"));
  });

  it("is not a plain SHA-256 of the value", async () => {
    const { createHash } = await import("node:crypto");
    const plain = createHash("sha256").update("re_value").digest("hex");
    expect(hmacValue(generateKey(), "re_value")).not.toBe(plain);
  });

  it("compares hashes in constant time and by value", () => {
    const key = generateKey();
    expect(hashesEqual(hmacValue(key, "a"), hmacValue(key, "a"))).toBe(true);
    expect(hashesEqual(hmacValue(key, "a"), hmacValue(key, "b"))).toBe(false);
    expect(hashesEqual(hmacValue(key, "a"), "abcd")).toBe(false);
  });
});

describe("master key", () => {
  it("accepts 32 bytes as base64 or hex", () => {
    const key = generateKey();
    expect(parseMasterKey(encodeKey(key)).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString("hex")).equals(key)).toBe(true);
    expect(parseMasterKey(`  ${encodeKey(key)}\n`).equals(key)).toBe(true);
  });

  it("rejects anything else with a message that says what is expected", () => {
    for (const bad of ["", "short", "a".repeat(63), Buffer.alloc(16).toString("base64")]) {
      expect(() => parseMasterKey(bad)).toThrow(/32 bytes/);
    }
  });

  it("fingerprints keys stably without revealing them", () => {
    const key = generateKey();
    expect(keyFingerprint(key)).toBe(keyFingerprint(key));
    expect(keyFingerprint(key)).not.toBe(keyFingerprint(generateKey()));
    expect(keyFingerprint(key)).toHaveLength(16);
    expect(key.toString("hex")).not.toContain(keyFingerprint(key));
  });
});
