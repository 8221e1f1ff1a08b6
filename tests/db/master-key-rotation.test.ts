/**
 * Master-key (KEK) rotation (issue 16, item 3) on an installation of its own: every organization's keys, the
 * token-hash key and TOTP seeds are rewrapped under a new master key without touching a value; servers holding
 * both keys keep working half-way; tokens, TOTP seeds and the audit chain survive; the old key alone is refused
 * after, and key material cannot be swapped in place. The command itself (env var and embedded key file) is in
 * master-key-command.test.ts.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBackup } from "@/db/backup/create";
import { checkMasterKey } from "@/db/backup/restore";
import { createDb, type Database } from "@/db/client";
import { withContext } from "@/db/context";
import { masterKeyMismatch } from "@/db/master-key-check";
import { masterLeftovers, rewrapMasterKeys } from "@/db/master-rotation";
import { verifyChainIn } from "@/db/repos/audit";
import { openTotp, orgVault, sealTotp } from "@/db/vault";
import { keyFingerprint, parseMasterKey } from "@/lib/crypto";
import { type ThrowawayDatabase, throwawayDatabase } from "@/scripts/throwaway-db.mts";
import { authenticateServiceToken, createServiceToken } from "@/server/tokens/service-tokens";
import { type OrganizationWithValue, organizationWithValue } from "./installation-fixture";

const OLD = randomBytes(32).toString("base64");
const NEW = randomBytes(32).toString("base64");
const saved = {
  key: process.env.RINGBEARER_MASTER_KEY,
  previous: process.env.RINGBEARER_MASTER_KEY_PREVIOUS,
};
/** What a server of this process holds: its RINGBEARER_MASTER_KEY and RINGBEARER_MASTER_KEY_PREVIOUS. */
function serverHolds(current: string, previous?: string) {
  process.env.RINGBEARER_MASTER_KEY = current;
  if (previous) process.env.RINGBEARER_MASTER_KEY_PREVIOUS = previous;
  else delete process.env.RINGBEARER_MASTER_KEY_PREVIOUS;
}
const ring = { current: parseMasterKey(NEW), previous: parseMasterKey(OLD) };

let installation: ThrowawayDatabase;
let database: Database;
let work: string;
const orgs: OrganizationWithValue[] = [];
let userId: string;
let token: string;

const adminUrl = () => {
  const u = new URL(inject("superUrl"));
  u.pathname = "/postgres";
  return u.toString();
};

async function makeOrg(slug: string) {
  const org = await organizationWithValue(database, slug);
  userId ??= org.ctx.userId;
  return org;
}

/** Reads each organization's value as a person would (the audited reveal) and through the vault. */
async function readsAll() {
  for (const o of orgs) {
    expect(await o.read(database)).toBe(o.value);
  }
}

const raw = () => postgres(installation.superUrl, { max: 1, onnotice: () => {} });

async function storedValues() {
  const s = raw();
  try {
    return await s`select id, encrypted_value, encryption_key_id, value_hash from environment_variable_values order by id`;
  } finally {
    await s.end();
  }
}

beforeAll(async () => {
  serverHolds(OLD);
  installation = await throwawayDatabase({ adminUrl: adminUrl(), prefix: "rb_kek", masterKey: OLD });
  database = createDb(installation.databaseUrl);
  orgs.push(await makeOrg("kek-one"), await makeOrg("kek-two"));
  const made = await withContext(
    orgs[0].ctx,
    (tx) =>
      createServiceToken(tx, orgs[0].ctx, {
        name: "deploy",
        environments: ["staging"],
        access: "read",
        expiresInDays: 30,
        allowedCidrs: [],
      }),
    database,
  );
  token = made.token;
  const s = raw();
  try {
    await s`update users set totp_secret = ${sealTotp(userId, "JBSWY3DPEHPK3PXP")} where id = ${userId}`;
  } finally {
    await s.end();
  }
  work = await mkdtemp(path.join(os.tmpdir(), "ringbearer-kek-"));
}, 120_000);

afterAll(async () => {
  serverHolds(saved.key as string, saved.previous);
  await database?.$client.end({ timeout: 5 });
  await installation?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("master-key rotation", () => {
  it("rewraps every key under the new master key, values untouched, with servers holding both keys working throughout", async () => {
    const before = await storedValues();
    // Servers now hold the new key and the old one; an organization created meanwhile is wrapped by the new key.
    serverHolds(NEW, OLD);
    expect(
      await masterKeyMismatch(installation.databaseUrl, ring, { migrating: true, requireCheck: true }),
    ).toBeNull();
    orgs.push(await makeOrg("kek-three"));
    await readsAll();
    expect((await authenticateServiceToken(database, token, null)).organizationId).toBe(
      orgs[0].ctx.organizationId,
    );
    expect(openTotp(userId, await totpSeed())).toBe("JBSWY3DPEHPK3PXP");

    // Half-way, a server with one key alone cannot open what the other wraps, and says which key it needs.
    serverHolds(NEW);
    await expect(
      withContext(orgs[0].ctx, (tx) => orgVault(tx, orgs[0].ctx.organizationId), database),
    ).rejects.toThrow(`wrapped by a different master key (fingerprint ${keyFingerprint(ring.previous)})`);
    serverHolds(OLD);
    await expect(
      withContext(orgs[2].ctx, (tx) => orgVault(tx, orgs[2].ctx.organizationId), database),
    ).rejects.toThrow(/RINGBEARER_MASTER_KEY_PREVIOUS/);

    // A backup made now needs both keys.
    const backup = path.join(work, "mid-switch");
    const { manifest } = await createBackup({ ownerUrl: installation.ownerUrl, dir: backup });
    expect(manifest.keyFingerprints?.sort()).toEqual(
      [keyFingerprint(ring.current), keyFingerprint(ring.previous)].sort(),
    );
    expect(() => checkMasterKey(manifest, ring.current)).toThrow(
      /is not the one this backup's keys were wrapped with/,
    );
    expect(() => checkMasterKey(manifest, ring)).not.toThrow();

    const left = await masterLeftovers(installation.ownerUrl, ring.current);
    expect(left.keys.map((k) => k.keyId).sort()).toEqual(
      [
        "token-hash",
        ...orgs
          .slice(0, 2)
          .flatMap((o) => [`data:${o.ctx.organizationId}:1`, `hmac:${o.ctx.organizationId}:1`]),
      ].sort(),
    );
    expect(left.totpSeeds).toEqual([userId]);

    serverHolds(NEW, OLD);
    const done = await rewrapMasterKeys(installation.ownerUrl, ring);
    expect(done).toEqual({ organizations: 2, keys: 4, installationKeys: 1, totpSeeds: 1 });
    expect(await masterLeftovers(installation.ownerUrl, ring.current)).toEqual({
      keys: [],
      totpSeeds: [],
      jobRunner: false,
    });
    // Run again (as after a crash): nothing left to do.
    expect(await rewrapMasterKeys(installation.ownerUrl, ring)).toEqual({
      organizations: 0,
      keys: 0,
      installationKeys: 0,
      totpSeeds: 0,
    });

    // The new key alone now opens everything: values, tokens minted under the old key, TOTP seeds.
    serverHolds(NEW);
    await readsAll();
    expect((await authenticateServiceToken(database, token, null)).organizationId).toBe(
      orgs[0].ctx.organizationId,
    );
    expect(openTotp(userId, await totpSeed())).toBe("JBSWY3DPEHPK3PXP");
    expect(
      await masterKeyMismatch(installation.databaseUrl, ring.current, {
        migrating: false,
        requireCheck: true,
      }),
    ).toBeNull();
    // Values were not touched: the same ciphertexts and hashes (the new organization's value included).
    const after = await storedValues();
    expect(after.filter((a) => before.some((b) => b.id === a.id))).toEqual(before);

    // The old key alone is refused at start-up, naming the fingerprint it does not match.
    expect(
      await masterKeyMismatch(installation.databaseUrl, ring.previous, {
        migrating: false,
        requireCheck: true,
      }),
    ).toMatch(`fingerprint ${keyFingerprint(ring.current)}`);

    // Each rewrapped organization's audit trail says so (the chain still verifies); the key ids, never a key.
    for (const o of orgs.slice(0, 2)) {
      const s = raw();
      try {
        const rows = await s<
          { change_details: { masterKey: { from: string; to: string }; keys: string[] } }[]
        >`
          select change_details from environment_variable_audit
           where organization_id = ${o.ctx.organizationId} and action = 'rotate' and resource_type = 'encryption_key'`;
        expect(rows).toHaveLength(1);
        expect(rows[0].change_details.masterKey).toEqual({
          from: keyFingerprint(ring.previous),
          to: keyFingerprint(ring.current),
        });
      } finally {
        await s.end();
      }
      const verdict = await withContext(o.ctx, (tx) => verifyChainIn(tx, o.ctx.organizationId), database);
      expect(verdict.brokenSeq).toBeNull();
    }
  }, 120_000);

  it("never lets key material change in place, and the app role cannot write installation keys", async () => {
    const owner = postgres(installation.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const org = orgs[0].ctx.organizationId;
      await expect(
        owner.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org}, true)`;
          await tx`update encryption_keys set wrapped_key = 'v1.AAAA.AAAA.AAAA' where organization_id = ${org}`;
        }),
      ).rejects.toThrow(/key_material/);
      await expect(
        owner`update installation_keys set wrapped_key = 'v1.AAAA.AAAA.AAAA', kek_fingerprint = kek_fingerprint`,
      ).rejects.toThrow(/key_material/);
    } finally {
      await owner.end();
    }
    const app = postgres(installation.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await expect(app`update installation_keys set rewrapped_at = now()`).rejects.toThrow(
        /permission denied/,
      );
      await expect(app`delete from installation_keys`).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});

async function totpSeed(): Promise<string> {
  const s = raw();
  try {
    const [row] = await s<{ totp_secret: string }[]>`select totp_secret from users where id = ${userId}`;
    return row.totp_secret;
  } finally {
    await s.end();
  }
}
