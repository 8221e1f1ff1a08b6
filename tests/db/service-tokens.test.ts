import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { insertServiceToken, serviceTokenByHash } from "@/db/repos/service-tokens";
import { serviceTokens } from "@/db/schema";
import { tokenHash } from "@/db/vault";
import { newServiceToken, tokenHint } from "@/lib/service-tokens";
import { db, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

let a: TestOrg;
let b: TestOrg;
let aToken: string;
let bToken: string;
let bTokenId: string;

const tokenRow = (org: TestOrg, token: string) => ({
  organizationId: org.id,
  name: "deploy staging",
  tokenHash: tokenHash(token),
  hint: tokenHint(token),
  environmentIds: [org.env.staging],
  access: "read",
  expiresAt: new Date(Date.now() + 86_400_000),
  createdBy: org.owner.userId,
});

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  aToken = newServiceToken();
  bToken = newServiceToken();
  await withContext(a.owner, (tx) => insertServiceToken(tx, tokenRow(a, aToken)));
  bTokenId = (await withContext(b.owner, (tx) => insertServiceToken(tx, tokenRow(b, bToken)))).id;
});

describe("service tokens in the database", () => {
  it("are found by their keyed hash before any organization is known, and by nothing else", async () => {
    const found = await serviceTokenByHash(db(), tokenHash(bToken));
    expect(found).toMatchObject({
      id: bTokenId,
      organization_id: b.id,
      environment_ids: [b.env.staging],
      access: "read",
      revoked_at: null,
    });
    const plain = createHash("sha256").update(bToken).digest("hex");
    expect(await serviceTokenByHash(db(), plain)).toBeUndefined();
    expect(await serviceTokenByHash(db(), tokenHash(newServiceToken()))).toBeUndefined();
    const owner = rawSql("owner");
    try {
      const stored = await owner`select token_hash, hint from service_tokens where id = ${bTokenId}`;
      expect(stored[0].token_hash).toBe(tokenHash(bToken));
      expect(JSON.stringify(stored)).not.toContain(bToken.slice(10));
    } finally {
      await owner.end();
    }
  });

  it("are another organization's rows to nobody: not seen, not changed, not created for it", async () => {
    const seen = await withContext(a.owner, (tx) =>
      tx.select({ id: serviceTokens.id, org: serviceTokens.organizationId }).from(serviceTokens),
    );
    expect(seen.map((r) => r.org)).toEqual([a.id]);
    const revoked = await withContext(a.owner, (tx) =>
      tx
        .update(serviceTokens)
        .set({ revokedAt: new Date() })
        .where(eq(serviceTokens.id, bTokenId))
        .returning({ id: serviceTokens.id }),
    );
    expect(revoked).toEqual([]);
    await expectDbError(
      withContext(a.owner, (tx) => insertServiceToken(tx, tokenRow(b, newServiceToken()))),
      /row-level security/,
    );
  });

  it("keep their hash, scope and owner: the app role may only revoke and count uses, and deletes none", async () => {
    await withContext(b.owner, async (tx) => {
      await tx
        .update(serviceTokens)
        .set({
          useCount: sql`${serviceTokens.useCount} + 1`,
          lastUsedAt: new Date(),
          lastUsedFrom: "10.0.0.1",
        })
        .where(eq(serviceTokens.id, bTokenId));
    });
    for (const change of [
      { tokenHash: tokenHash(newServiceToken()) },
      { environmentIds: [b.env.production] },
      { access: "read-write" },
      { expiresAt: new Date(Date.now() + 365 * 86_400_000) },
    ]) {
      await expectDbError(
        withContext(b.owner, (tx) =>
          tx.update(serviceTokens).set(change).where(eq(serviceTokens.id, bTokenId)),
        ),
        /permission denied/,
      );
    }
    await expectDbError(
      withContext(b.owner, (tx) => tx.delete(serviceTokens).where(eq(serviceTokens.id, bTokenId))),
      /permission denied/,
    );
    const [row] = await withContext(b.owner, (tx) =>
      tx.select().from(serviceTokens).where(eq(serviceTokens.id, bTokenId)),
    );
    expect(row).toMatchObject({ useCount: 1, lastUsedFrom: "10.0.0.1", environmentIds: [b.env.staging] });
  });

  it("refuse a token scoped to no environment, or with an access other than read and read-write", async () => {
    await expectDbError(
      withContext(a.owner, (tx) =>
        insertServiceToken(tx, { ...tokenRow(a, newServiceToken()), environmentIds: [] }),
      ),
      /service_tokens_scope_check/,
    );
    await expectDbError(
      withContext(a.owner, (tx) =>
        insertServiceToken(tx, { ...tokenRow(a, newServiceToken()), access: "admin" }),
      ),
      /service_tokens_access_check/,
    );
  });
});
