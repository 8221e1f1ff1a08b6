/**
 * Data-key rotation (issue 16): a new version takes new writes at once; the job re-encrypts values, their history
 * and secrets batch by batch; the old version is deprecated when nothing uses it and can then be revoked (never
 * before); the minimum decryption version refuses older keys; re-encryption cannot be abused to change a value
 * unaudited; rows of a locked environment wait for wedding hours to end; another organization sees nothing.
 */
import { eq, sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { encryptionKeys, environmentVariableAudit, keyRotations } from "@/db/schema";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { keysOverview } from "@/server/keys/key-reads";
import { revokeKey, saveKeyPolicy, startRotation } from "@/server/keys/rotation";
import { rotateBatch, runRotation } from "@/server/keys/rotation-run";
import { revealValue } from "@/server/values/values";
import { createEndpoint, rotateEndpointSecret } from "@/server/webhooks/endpoints";
import { expectDbError, rawSql, startWeddingHours } from "./support";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;

const keysOf = (fx: Fixture) =>
  withContext(fx.org.owner, (tx) =>
    tx
      .select({
        keyId: encryptionKeys.keyId,
        status: encryptionKeys.keyStatus,
        version: encryptionKeys.keyVersion,
      })
      .from(encryptionKeys)
      .where(sql`${encryptionKeys.organizationId} = ${fx.org.id} and ${encryptionKeys.keyType} = 'data'`)
      .orderBy(encryptionKeys.keyVersion),
  );

/** Every sealed row of the organization by key id (as the superuser: past row-level security). */
async function sealedByKey(organizationId: string) {
  const su = rawSql("super");
  try {
    return await su<{ key: string; n: number }[]>`
      select encryption_key_id as key, count(*)::int as n from (
        select encryption_key_id from environment_variable_values where organization_id = ${organizationId}
        union all select encryption_key_id from value_versions where organization_id = ${organizationId} and encryption_key_id is not null
        union all select encryption_key_id from webhook_endpoints where organization_id = ${organizationId}
        union all select previous_encryption_key_id from webhook_endpoints
                   where organization_id = ${organizationId} and previous_encryption_key_id is not null
      ) s group by 1 order by 1`;
  } finally {
    await su.end();
  }
}

beforeAll(async () => {
  f = await valueFixture();
  await f.set("SESSION_SECRET", "development", "klmnopqrst");
  // A webhook endpoint whose secret was rotated: a current and a previous secret, both sealed.
  const input = webhookEndpointInput.parse({
    url: "https://hooks.example.com/rb",
    events: ["value.changed"],
  });
  const endpoint = await withContext(f.org.owner, (tx) => createEndpoint(tx, f.org.owner, input));
  await withContext(f.org.owner, (tx) => rotateEndpointSecret(tx, f.org.owner, endpoint.id));
});

describe("a data-key rotation", () => {
  it("takes new writes at once, re-encrypts everything, deprecates the old key, and then lets it be revoked", async () => {
    const [v1] = await keysOf(f);
    const before = await sealedByKey(f.org.id);
    expect(before.map((r) => r.key)).toEqual([v1.keyId]);
    const rows = before[0].n;

    const rotation = await withContext(f.org.owner, (tx) => startRotation(tx, f.org.owner));
    expect(rotation).toMatchObject({ status: "running", total: rows, processed: 0 });
    const keys = await keysOf(f);
    expect(keys.map((k) => [k.version, k.status])).toEqual([
      [1, "rotating"],
      [2, "active"],
    ]);
    // A second rotation while one runs is refused.
    await expect(withContext(f.org.owner, (tx) => startRotation(tx, f.org.owner))).rejects.toSatisfy(
      isCode("conflict:rotation"),
    );
    // The rotating version cannot be revoked.
    await expect(
      withContext(f.org.owner, (tx) => revokeKey(tx, f.org.owner, { keyId: v1.keyId })),
    ).rejects.toSatisfy(isCode("conflict:key_in_use"));

    // A write now seals under version 2; reads of rows still under version 1 work.
    await f.set("FEATURE_CHECKOUT", "development", "true");
    expect(await f.reveal("SESSION_SECRET", "staging")).toBe("stagingsecret");

    // Two rows per batch: progress is kept batch by batch.
    const first = await rotateBatch(f.org.owner, rotation.id, 2);
    expect(first).toEqual({ state: "more", succeeded: 2, failed: 0 });
    const mid = await withContext(f.org.owner, (tx) => keysOverview(tx, f.org.owner));
    expect(mid.rotation).toMatchObject({ processed: 2, succeeded: 2, failed: 0, status: "running" });
    expect(mid.rotation?.remaining).toBe(rows - 2);

    expect(await runRotation(f.org.owner, rotation.id, { limit: 3 })).toEqual({
      state: "finished",
      status: "completed",
    });
    const after = await sealedByKey(f.org.id);
    expect(after).toEqual([{ key: keys[1].keyId, n: rows + 2 }]); // + the new value and its history row
    expect(await f.reveal("SESSION_SECRET", "staging")).toBe("stagingsecret");
    expect(await f.reveal("SESSION_SECRET", "development")).toBe("klmnopqrst");
    expect(await f.reveal("FEATURE_CHECKOUT", "development")).toBe("true");
    expect(await f.reveal("STRIPE_SECRET_KEY", "staging")).toBe("sk_test_51Hstagingkey0000");

    const done = await withContext(f.org.owner, (tx) => keysOverview(tx, f.org.owner));
    expect(done.rotation).toMatchObject({
      status: "completed",
      processed: rows,
      succeeded: rows,
      remaining: 0,
    });
    expect(done.keys.filter((k) => k.keyType === "data").map((k) => [k.keyVersion, k.keyStatus])).toEqual([
      [2, "active"],
      [1, "deprecated"],
    ]);
    // The trail, as `rotate`, and no row per value:
    const audit = await withContext(f.org.owner, (tx) =>
      tx
        .select({ action: environmentVariableAudit.action, details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.resourceType, "encryption_key")),
    );
    // Started, hashes moved to the new hash key, finished.
    expect(audit.map((a) => a.action)).toEqual(["rotate", "rotate", "rotate"]);

    await withContext(f.org.owner, (tx) => revokeKey(tx, f.org.owner, { keyId: v1.keyId }));
    expect((await keysOf(f)).map((k) => k.status)).toEqual(["revoked", "active"]);
    expect(await f.reveal("SESSION_SECRET", "staging")).toBe("stagingsecret");
  });

  it("refuses a minimum decryption version above what may be dropped, and enforces it", async () => {
    const fx = await valueFixture();
    const [v1] = await keysOf(fx);
    const rotation = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
    await expect(
      withContext(fx.org.owner, (tx) =>
        saveKeyPolicy(tx, fx.org.owner, { minDecryptionVersion: 2, dataKeyRotationDays: 90 }),
      ),
    ).rejects.toSatisfy(isCode("conflict:key_in_use"));
    await expect(
      withContext(fx.org.owner, (tx) =>
        saveKeyPolicy(tx, fx.org.owner, { minDecryptionVersion: 3, dataKeyRotationDays: null }),
      ),
    ).rejects.toSatisfy(isCode("validation"));
    await runRotation(fx.org.owner, rotation.id);
    await withContext(fx.org.owner, (tx) =>
      saveKeyPolicy(tx, fx.org.owner, { minDecryptionVersion: 2, dataKeyRotationDays: 90 }),
    );
    // A row put back under version 1 behind the app's back no longer decrypts: a clear refusal, no value.
    const su = rawSql("super");
    try {
      await su.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`update environment_variable_values set encryption_key_id = ${v1.keyId}
                 where organization_id = ${fx.org.id} and variable_id = ${fx.ids.STRIPE_SECRET_KEY}
                   and environment_id = ${fx.org.env.staging}`;
      });
    } finally {
      await su.end();
    }
    await expect(
      withContext(fx.org.owner, (tx) =>
        revealValue(tx, fx.org.owner, {
          variableId: fx.ids.STRIPE_SECRET_KEY,
          environmentId: fx.org.env.staging,
        }),
      ),
    ).rejects.toThrow(/data key .* is revoked or older than the organization's minimum decryption version/);
    // Put back as it was: the database is shared with the backup tests, which decrypt every value.
    const back = rawSql("super");
    try {
      await back.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`update environment_variable_values set encryption_key_id = ${rotation.dataKeyId}
                 where organization_id = ${fx.org.id} and encryption_key_id = ${v1.keyId}`;
      });
    } finally {
      await back.end();
    }
  });
});

describe("re-encryption cannot change a value unaudited", () => {
  it("refuses, as the app role, anything but a ciphertext moved to the running rotation's key", async () => {
    const fx = await valueFixture();
    const app = rawSql("app");
    const ctx = (t: TransactionSql) =>
      t`select set_config('app.user_id', ${fx.org.owner.userId}, true),
               set_config('app.organization_id', ${fx.org.id}, true)`;
    try {
      // History rows change only by re-encryption.
      await expectDbError(
        app.begin(async (t) => {
          await ctx(t);
          await t`update value_versions set encrypted_value = 'v1.x.y.z' where organization_id = ${fx.org.id}`;
        }),
        /rows change only by re-encryption/,
      );
      // Naming a rotation that does not run: refused.
      await expectDbError(
        app.begin(async (t) => {
          await ctx(t);
          await t`select set_config('ringbearer.key_rotation', gen_random_uuid()::text, true)`;
          await t`update environment_variable_values set encrypted_value = 'v1.x.y.z' where organization_id = ${fx.org.id}`;
        }),
        /not a re-encryption to the running rotation's key/,
      );
      // During a rotation: the key must move to the new one; no other column may change; no insert or delete.
      const rotation = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
      const flag = (t: TransactionSql) =>
        t`select set_config('ringbearer.key_rotation', ${rotation.id}, true)`;
      await expectDbError(
        app.begin(async (t) => {
          await ctx(t);
          await flag(t);
          await t`update environment_variable_values set encrypted_value = 'v1.x.y.z' where organization_id = ${fx.org.id}`;
        }),
        /not a re-encryption to the running rotation's key/,
      );
      await expectDbError(
        app.begin(async (t) => {
          await ctx(t);
          await flag(t);
          await t`update environment_variable_values set encryption_key_id = ${rotation.dataKeyId}, change_note = 'x'
                   where organization_id = ${fx.org.id}`;
        }),
        /changes only the ciphertext and its key/,
      );
      await expectDbError(
        app.begin(async (t) => {
          await ctx(t);
          await flag(t);
          await t`delete from environment_variable_values where organization_id = ${fx.org.id}`;
        }),
        /only updates rows/,
      );
    } finally {
      await app.end();
    }
  });
});

describe("wedding hours", () => {
  it("re-encrypts the unlocked environments and waits for the window to end in the locked ones", async () => {
    const fx = await valueFixture();
    await fx.set("SESSION_SECRET", "production", "productionsecret");
    await startWeddingHours(fx.org);
    const rotation = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
    const outcome = await runRotation(fx.org.owner, rotation.id);
    expect(outcome).toEqual({ state: "waiting", environments: ["production"] });
    const [row] = await withContext(fx.org.owner, (tx) =>
      tx.select().from(keyRotations).where(eq(keyRotations.id, rotation.id)),
    );
    expect(row.status).toBe("paused");
    expect(row.statusReason).toMatch(/Waiting for wedding hours to end in production/);
    const sealed = await sealedByKey(fx.org.id);
    expect(sealed.find((s) => s.key === rotation.fromKeyIds[0])?.n).toBeGreaterThan(0);
    // The window ends: the rest is re-encrypted.
    const su = rawSql("super");
    try {
      await su.begin(async (t) => {
        await t`set local session_replication_role = replica`;
        await t`delete from protection_blackouts where organization_id = ${fx.org.id}`;
      });
    } finally {
      await su.end();
    }
    expect(await runRotation(fx.org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    expect(await fx.reveal("SESSION_SECRET", "production")).toBe("productionsecret");
  });
});

describe("another organization", () => {
  it("sees none of the rotation, and its keys and values are untouched", async () => {
    const other = await valueFixture();
    const before = await sealedByKey(other.org.id);
    const fx = await valueFixture();
    const rotation = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
    await runRotation(fx.org.owner, rotation.id);
    expect(await sealedByKey(other.org.id)).toEqual(before);
    const seen = await withContext(other.org.owner, (tx) => keysOverview(tx, other.org.owner));
    expect(seen.rotation).toBeNull();
    await expect(rotateBatch(other.org.owner, rotation.id)).resolves.toEqual({ state: "gone" });
    expect((await keysOf(other)).map((k) => k.status)).toEqual(["active"]);
  });
});
