/**
 * How tokens, invitations, CLI-login codes and OAuth states are stored: a keyed hash under the installation's
 * token-hash key (migration 0040), which the master key wraps and a master-key rotation keeps
 * (master-key-rotation.test.ts shows a token minted before a rotation still works after it).
 */
import { createHash, createHmac, hkdfSync } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { tokenHash } from "@/db/vault";
import { newServiceToken } from "@/lib/service-tokens";
import { rawSql } from "./support";

describe("how a token is stored", () => {
  it("is HMAC-SHA-256 under the installation's token-hash key, kept wrapped by the master key, never a plain hash", async () => {
    const master = Buffer.from(inject("masterKey"), "base64");
    // The key the installation started with: derived from its first master key (and kept from then on, 0040).
    const key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "ringbearer:token-hash:v1", 32));
    const token = newServiceToken();
    const stored = await tokenHash(token);
    expect(stored).toBe(createHmac("sha256", key).update(token).digest("hex"));
    expect(stored).not.toBe(createHash("sha256").update(token).digest("hex"));
    expect(stored).not.toBe(createHmac("sha256", master).update(token).digest("hex"));
    expect(await tokenHash(newServiceToken())).not.toBe(stored);
    const s = rawSql("super");
    try {
      const [row] = await s<{ wrapped_key: string }[]>`
        select wrapped_key from installation_keys where purpose = 'token-hash'`;
      expect(row.wrapped_key).toMatch(/^v1\./);
      expect(row.wrapped_key).not.toContain(key.toString("base64"));
      expect(row.wrapped_key).not.toContain(key.toString("hex"));
    } finally {
      await s.end();
    }
  });
});
