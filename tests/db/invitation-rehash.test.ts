/**
 * Migration 0034: a pending invitation kept as a plain SHA-256 (before invitations were kept as keyed hashes) is
 * revoked, since its link can no longer be matched; an accepted one is left as it was. On a database of its own,
 * migrated up to 0033 first.
 */
import { createHash, randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { journal, migrate } from "@/db/migrate";
import { parseMasterKey } from "@/lib/crypto";
import { APP_ROLE, type FreshDatabase, freshDatabase } from "./fresh-database";

let fresh: FreshDatabase;
beforeAll(async () => {
  fresh = await freshDatabase("rehash");
});
afterAll(async () => {
  await fresh?.drop();
});

describe("migration 0034 (invitations kept as keyed hashes)", () => {
  it("revokes pending invitations kept as a plain hash, and leaves accepted ones", {
    timeout: 180_000,
  }, async () => {
    const masterKey = parseMasterKey(inject("masterKey"));
    const tags = await journal();
    const before = new Set(tags.slice(0, tags.indexOf("0034_invitation_keyed_hash")));
    await migrate(fresh.ownerUrl, APP_ROLE, { masterKey, only: before });
    const superUrl = new URL(inject("superUrl"));
    superUrl.pathname = `/${fresh.name}`;
    const s = postgres(superUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      const [user] = await s<{ id: string }[]>`
        insert into users (email, name, password_hash) values ('inviter@rehash.test', 'Inviter', 'not a hash') returning id`;
      const [org] = await s<{ id: string }[]>`
        insert into organizations (slug, name) values ('rehash', 'Rehash') returning id`;
      const plain = (t: string) => createHash("sha256").update(t).digest("hex");
      const invite = (email: string, accepted: boolean) => s`
        insert into invitations (organization_id, email, role, token_hash, invited_by, expires_at, accepted_at)
        values (${org.id}, ${email}, 'developer', ${plain(randomBytes(32).toString("base64url"))}, ${user.id},
                now() + interval '7 days', ${accepted ? new Date() : null})`;
      await invite("pending@rehash.test", false);
      await invite("accepted@rehash.test", true);

      await migrate(fresh.ownerUrl, APP_ROLE, { masterKey });
      const rows = await s<{ email: string; revoked: boolean; accepted: boolean }[]>`
        select email, revoked_at is not null as revoked, accepted_at is not null as accepted
          from invitations order by email`;
      expect(rows).toEqual([
        { email: "accepted@rehash.test", revoked: false, accepted: true },
        { email: "pending@rehash.test", revoked: true, accepted: false },
      ]);
      const [{ n }] = await s<{ n: number }[]>`
        select count(*)::int as n from pg_policy where polname = 'invitations_keyed_hash_upgrade'`;
      expect(n).toBe(0);
    } finally {
      await s.end({ timeout: 5 });
    }
  });
});
