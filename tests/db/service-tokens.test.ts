import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { insertServiceToken, serviceTokenByHash } from "@/db/repos/service-tokens";
import { serviceTokens } from "@/db/schema";
import { tokenHash } from "@/db/vault";
import { newServiceToken, tokenHint } from "@/lib/service-tokens";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { parseInput } from "@/server/entry/input";
import {
  authenticateServiceToken,
  createServiceToken,
  revokeServiceToken,
  setTokenLifetime,
} from "@/server/tokens/service-tokens";
import { db, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";

let a: TestOrg;
let b: TestOrg;
let aToken: string;
let bToken: string;
let bTokenId: string;

const tokenRow = async (org: TestOrg, token: string) => ({
  organizationId: org.id,
  name: "deploy staging",
  tokenHash: await tokenHash(token),
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
  await withContext(a.owner, async (tx) => insertServiceToken(tx, await tokenRow(a, aToken)));
  bTokenId = (await withContext(b.owner, async (tx) => insertServiceToken(tx, await tokenRow(b, bToken)))).id;
});

describe("service tokens in the database", () => {
  it("are found by their keyed hash before any organization is known, and by nothing else", async () => {
    const found = await serviceTokenByHash(db(), await tokenHash(bToken));
    expect(found).toMatchObject({
      id: bTokenId,
      organization_id: b.id,
      environment_ids: [b.env.staging],
      access: "read",
      revoked_at: null,
    });
    const plain = createHash("sha256").update(bToken).digest("hex");
    expect(await serviceTokenByHash(db(), plain)).toBeUndefined();
    expect(await serviceTokenByHash(db(), await tokenHash(newServiceToken()))).toBeUndefined();
    const owner = rawSql("owner");
    try {
      const stored = await owner`select token_hash, hint from service_tokens where id = ${bTokenId}`;
      expect(stored[0].token_hash).toBe(await tokenHash(bToken));
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
      withContext(a.owner, async (tx) => insertServiceToken(tx, await tokenRow(b, newServiceToken()))),
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
      { tokenHash: await tokenHash(newServiceToken()) },
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
      withContext(a.owner, async (tx) =>
        insertServiceToken(tx, { ...(await tokenRow(a, newServiceToken())), environmentIds: [] }),
      ),
      /service_tokens_scope_check/,
    );
    await expectDbError(
      withContext(a.owner, async (tx) =>
        insertServiceToken(tx, { ...(await tokenRow(a, newServiceToken())), access: "admin" }),
      ),
      /service_tokens_access_check/,
    );
  });
});

describe("creating, using and revoking a service token", () => {
  const create = async (who: TestOrg["owner"], input: Record<string, unknown>) =>
    withContext(who, async (tx) => createServiceToken(tx, who, await parseInput(serviceTokenInput, input)));
  const staging = { name: "CI staging", environments: ["staging"], access: "read" };

  it("shows the token once, keeps only its keyed hash, and audits it by id, never the token", async () => {
    const made = await create(a.owner, { ...staging, expiresInDays: 1 });
    expect(made.token).toMatch(/^rb_st_[0-9A-Za-z]{38}$/);
    expect(made.expiresAt.getTime() - Date.now()).toBeGreaterThan(86_000_000);
    expect(made.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    const owner = rawSql("owner");
    try {
      const [row] =
        await owner`select token_hash, hint, environment_ids, access from service_tokens where id = ${made.id}`;
      expect(row).toEqual({
        token_hash: await tokenHash(made.token),
        hint: `${made.token.slice(0, 10)}…`,
        environment_ids: [a.env.staging],
        access: "read",
      });
      const audit = await owner`select action, change_details::text as details from environment_variable_audit
        where resource_type = 'service_token' and resource_id = ${made.id}`;
      expect(audit.map((r) => r.action)).toEqual(["create"]);
      expect(audit[0].details).toContain("CI staging");
      expect(audit[0].details).not.toContain(made.token.slice(10));
    } finally {
      await owner.end();
    }
    const who = await authenticateServiceToken(db(), made.token, "203.0.113.9");
    expect(who).toMatchObject({
      tokenId: made.id,
      organizationId: a.id,
      environmentIds: [a.env.staging],
      access: "read",
    });
  });

  it("is refused to a role without tokens:manage, and for an environment the organization does not have", async () => {
    const dev = await a.member("developer");
    await expect(create(dev, staging)).rejects.toMatchObject({ code: "forbidden" });
    const lead = await a.member("lead");
    await expect(create(lead, staging)).rejects.toMatchObject({ code: "forbidden" });
    await expect(create(a.owner, { ...staging, environments: ["staging", "nope"] })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { environments: ["No environment is named nope"] },
    });
    // b's environment names are a's too: a token of a is scoped to a's, never b's.
    const made = await create(a.owner, { ...staging, environments: ["production"] });
    expect((await authenticateServiceToken(db(), made.token, null)).environmentIds).toEqual([
      a.env.production,
    ]);
  });

  it("lives no longer than its organization allows; only those who manage settings change that", async () => {
    const org = await makeOrg();
    await expect(
      withContext(org.owner, (tx) => setTokenLifetime(tx, org.owner, { maxTokenDays: 7 })),
    ).resolves.toEqual({ maxTokenDays: 7 });
    const refused = await create(org.owner, { ...staging, expiresInDays: 8 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: "validation",
      fieldErrors: { expiresInDays: ["Tokens of this organization live at most 7 days"] },
    });
    const made = await create(org.owner, { ...staging, expiresInDays: 7 });
    expect(made.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // The default is 30 days: more than 7 here, so it is refused too rather than cut short unseen.
    await expect(create(org.owner, staging)).rejects.toMatchObject({ code: "validation" });
    const dev = await org.member("developer");
    await expect(
      withContext(dev, (tx) => setTokenLifetime(tx, dev, { maxTokenDays: 365 })),
    ).rejects.toMatchObject({ code: "forbidden" });
    const owner = rawSql("owner");
    try {
      const [row] = await owner`select max_token_days from organizations where id = ${org.id}`;
      expect(row.max_token_days).toBe(7);
      const audit = await owner`select change_details::text as details from environment_variable_audit
        where organization_id = ${org.id} and resource_type = 'settings'`;
      expect(audit.map((r) => JSON.parse(r.details))).toEqual([{ max_token_days: { from: 365, to: 7 } }]);
      // The database holds the bound too.
      const admin = rawSql("super");
      await expect(
        admin`update organizations set max_token_days = 366 where id = ${org.id}`.finally(() => admin.end()),
      ).rejects.toThrow(/organizations_max_token_days_check/);
    } finally {
      await owner.end();
    }
  });

  it("refuses bad input with field errors: no environment, another access, days out of range, a bad range", async () => {
    for (const [input, field] of [
      [{ ...staging, environments: [] }, "environments"],
      [{ ...staging, access: "admin" }, "access"],
      [{ ...staging, expiresInDays: 0 }, "expiresInDays"],
      [{ ...staging, expiresInDays: 366 }, "expiresInDays"],
      [{ ...staging, expiresInDays: "soon" }, "expiresInDays"],
      [{ ...staging, allowedCidrs: ["10.0.0.0/33"] }, "allowedCidrs.0"],
      [{ ...staging, allowedCidrs: ["example.com"] }, "allowedCidrs.0"],
      [{ ...staging, name: "" }, "name"],
    ] as const) {
      const refused = await create(a.owner, input).catch((e: unknown) => e);
      expect(refused, JSON.stringify(input)).toMatchObject({ code: "validation" });
      expect(Object.keys((refused as { fieldErrors: object }).fieldErrors)).toEqual([field]);
    }
  });

  it("tells a typo, an unknown, a revoked and an expired token apart, and binds a token to its address ranges", async () => {
    const made = await create(a.owner, { ...staging, allowedCidrs: ["10.20.0.0/16", "2001:db8::/32"] });
    const typo = made.token.slice(0, 12) + (made.token[12] === "x" ? "y" : "x") + made.token.slice(13);
    await expect(authenticateServiceToken(db(), typo, "10.20.1.1")).rejects.toMatchObject({
      code: "token:invalid",
    });
    await expect(authenticateServiceToken(db(), "Bearer nonsense", null)).rejects.toMatchObject({
      code: "token:invalid",
    });
    await expect(authenticateServiceToken(db(), newServiceToken(), "10.20.1.1")).rejects.toMatchObject({
      code: "token:invalid",
    });
    for (const from of ["10.20.1.1", "::ffff:10.20.255.254", "2001:db8:1::5"])
      expect((await authenticateServiceToken(db(), made.token, from)).tokenId).toBe(made.id);
    for (const from of ["10.21.0.1", "::ffff:192.0.2.1", "2001:db9::1", null, "not an address"])
      await expect(authenticateServiceToken(db(), made.token, from)).rejects.toMatchObject({
        code: "forbidden",
      });

    const tomorrow = new Date(Date.now() + 2 * 86_400_000);
    const later = await create(a.owner, { ...staging, expiresInDays: 1 });
    await expect(authenticateServiceToken(db(), later.token, null, tomorrow)).rejects.toMatchObject({
      code: "token:expired",
    });

    // Another organization's admin cannot revoke it: it is not theirs to see.
    await expect(
      withContext(b.owner, (tx) => revokeServiceToken(tx, b.owner, made.id)),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await authenticateServiceToken(db(), made.token, "10.20.1.1")).tokenId).toBe(made.id);
    await withContext(a.owner, (tx) => revokeServiceToken(tx, a.owner, made.id));
    await expect(authenticateServiceToken(db(), made.token, "10.20.1.1")).rejects.toMatchObject({
      code: "token:revoked",
    });
    await expect(
      withContext(a.owner, (tx) => revokeServiceToken(tx, a.owner, made.id)),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
