import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { masterKeyMismatch, masterKeyStatus } from "@/db/master-key-check";
import { keyFingerprint, parseMasterKey } from "@/lib/crypto";
import { makeOrg, rawSql } from "./support";

describe("master_key_check() (migration 0025)", () => {
  it("tells the app role whether its key made the stored keys, and nothing else about them", async () => {
    await makeOrg(); // at least one organization's keys
    const right = parseMasterKey(inject("masterKey"));
    const wrong = randomBytes(32);
    expect(await masterKeyStatus(inject("databaseUrl"), right)).toEqual({
      matchingKeys: true,
      otherFingerprints: [],
      verifier: "match",
    });
    expect(await masterKeyStatus(inject("databaseUrl"), wrong)).toEqual({
      matchingKeys: false,
      otherFingerprints: [keyFingerprint(right)],
      verifier: "mismatch",
    });
    expect(
      await masterKeyMismatch(inject("databaseUrl"), wrong, { migrating: true, requireCheck: true }),
    ).toMatch(`fingerprint ${keyFingerprint(right)}, and this key's fingerprint is ${keyFingerprint(wrong)}`);

    const app = rawSql("app");
    try {
      const rows = await app`select * from master_key_check(${"x"}, ${"y"})`;
      expect(rows.columns.map((c) => c.name)).toEqual(["matching_keys", "other_fingerprints", "verifier"]);
      const [grants] = await app<{ public: boolean }[]>`
        select has_function_privilege('public', 'master_key_check(text, text)', 'execute') as public`;
      expect(grants.public).toBe(false);
      expect(await app`select key_id from encryption_keys`).toEqual([]); // still no rows without a context
    } finally {
      await app.end();
    }
  });
});
