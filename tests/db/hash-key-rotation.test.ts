/**
 * Hash-key (HMAC) rotation (issue 16, item 2), in the same job as the data key's: writers keep hashing under the
 * active key while the job runs; at its end every stored hash (values, history, change-request items, drift
 * findings) moves to the new key in one step. Comparisons between environments, a pending change request's
 * stale check, a dismissed drift and drift against the reference receiver hold before, half-way and after; a
 * transaction that loaded the keys before the swap cannot write an old hash after it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { verifyAuditChain } from "@/db/repos/audit";
import { configurationDrift, encryptionKeys, environmentVariableValues, valueVersions } from "@/db/schema";
import { orgVault } from "@/db/vault";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { resolveDrift } from "@/server/drift/drift-resolution";
import { startRotation } from "@/server/keys/rotation";
import { rotateBatch, runRotation } from "@/server/keys/rotation-run";
import { compareEnvironments } from "@/server/values/compare";
import { setValue } from "@/server/values/values";
import { approveAs, expectDbError, makeOrg, productionSecret, rawSql, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, variableWithValue } from "./target-fixture";

let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let targetId: string;
const ids: Record<string, string> = {};

const openDrift = () =>
  withContext(org.owner, (tx) =>
    tx
      .select({ id: configurationDrift.id, name: configurationDrift.variableName })
      .from(configurationDrift)
      .where(and(eq(configurationDrift.targetId, targetId), isNull(configurationDrift.resolvedAt))),
  );

/** Every stored hash of the organization: each value's, history's and hash key's status, to compare. */
async function storedHashes() {
  return withContext(org.owner, async (tx) => ({
    values: await tx
      .select({ id: environmentVariableValues.id, hash: environmentVariableValues.valueHash })
      .from(environmentVariableValues),
    versions: await tx.select({ id: valueVersions.id, hash: valueVersions.valueHash }).from(valueVersions),
    hashKeys: await tx
      .select({ id: encryptionKeys.keyId, status: encryptionKeys.keyStatus })
      .from(encryptionKeys)
      .where(eq(encryptionKeys.keyType, "hmac"))
      .orderBy(encryptionKeys.keyVersion),
  }));
}

/** Each value's stored hash is the active hash key's HMAC of its plaintext (decrypted here, in the vault). */
async function hashesMatchActiveKey() {
  return withContext(org.owner, async (tx) => {
    const vault = await orgVault(tx, org.id);
    const rows = await tx.select().from(environmentVariableValues);
    return rows.every(
      (r) =>
        vault.hash(
          vault.decryptValue(
            { ciphertext: r.encryptedValue, keyId: r.encryptionKeyId },
            { organizationId: org.id, variableId: r.variableId, environmentId: r.environmentId },
          ),
        ) === r.valueHash,
    );
  });
}

/** Same and changed keys between staging and production (keys one side has alone are left out). */
const compare = async () => {
  const { counts } = await compareEnvironments(org.owner, org.env.staging, org.env.production);
  return { same: counts.same, changed: counts.changed };
};

beforeAll(async () => {
  org = await makeOrg();
  const secret = randomBytes(24).toString("hex");
  deployment = await loopbackDeployment(secret);
  for (let i = 0; i < 5; i++) {
    const v = await variableWithValue(org, org.env.staging, `HASH_ROTATION_${i}`, `value-${i}`);
    ids[`HASH_ROTATION_${i}`] = v.id;
    // Production has the same value for even ones, another for odd ones: the comparison tells them apart.
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: v.id,
        environmentId: org.env.production,
        value: i % 2 === 0 ? `value-${i}` : `other-${i}`,
        expectedVersion: 0,
      }),
    ).then((c) => approveAs(org, c));
  }
  // History: a second version of one value (it differed from production already).
  await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: ids.HASH_ROTATION_1,
      environmentId: org.env.staging,
      value: "value-1b",
      expectedVersion: 1,
    }),
  );
  targetId = await addHttpTarget(org, {
    environmentId: org.env.staging,
    name: "loopback",
    location: deployment.url,
    secret,
  });
  expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed" });
  // A difference on the target, dismissed: it must stay dismissed across the rotation (same hashes, new key).
  await deployment.deployed.apply({ set: { HASH_ROTATION_4: "changed-on-the-target" }, delete: [] });
  await scanTarget(org.owner, targetId);
  const [drift] = (await openDrift()).filter((d) => d.name === "HASH_ROTATION_4");
  await resolveDrift(org.owner, { id: drift.id, action: "dismiss", note: "Known, leave it" });
});

afterAll(async () => {
  await deployment?.close();
});

describe("hash-key rotation", () => {
  it("moves every stored hash to the new key at the end, with comparisons, a pending change and drift holding throughout", async () => {
    const before = await storedHashes();
    const counts = await compare();
    expect(counts).toEqual({ same: 3, changed: 2 });
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
    // A production change waiting for a reviewer: its stale check compares hashes.
    const secretId = await productionSecret(org, {
      name: "HASH_ROTATION_SECRET",
      classification: "wedding_day_critical",
      value: "sk_live_before",
      note: "The first live Stripe key for this test",
    });
    const pending = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: secretId,
        environmentId: org.env.production,
        value: "sk_live_after",
        expectedVersion: 1,
        note: "Rotate the Stripe key after the leak drill",
      }),
    );
    expect(pending.status).toBe("requested");

    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    expect(rotation.hmacKeyId).toMatch(/^hmac:.*:2$/);
    expect(await rotateBatch(org.owner, rotation.id, 4)).toMatchObject({ state: "more", succeeded: 4 });
    // Half-way: writers still hash under the active key; nothing compares differently.
    await variableWithValue(org, org.env.development, "HASH_ROTATION_LATE", "written-half-way");
    expect(await compare()).toEqual(counts);
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
    expect(await hashesMatchActiveKey()).toBe(true);

    expect(await runRotation(org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    const after = await storedHashes();
    expect(after.hashKeys).toEqual([
      { id: `hmac:${org.id}:1`, status: "deprecated" },
      { id: `hmac:${org.id}:2`, status: "active" },
    ]);
    // Every hash moved (the value written half-way included), and each is the new key's.
    const old = new Set([...before.values, ...before.versions].map((r) => r.hash));
    expect([...after.values, ...after.versions].filter((r) => r.hash && old.has(r.hash))).toEqual([]);
    expect(await hashesMatchActiveKey()).toBe(true);
    expect(await compare()).toEqual(counts);
    // The dismissed drift is the same drift under the new key: still dismissed, not reported again.
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
    // The pending change's base is the current value's hash, under the new key too: it applies once approved.
    await approveAs(org, pending);
    const [applied] = await withContext(org.owner, (tx) =>
      tx
        .select({ version: environmentVariableValues.version })
        .from(environmentVariableValues)
        .where(
          and(
            eq(environmentVariableValues.variableId, secretId),
            eq(environmentVariableValues.environmentId, org.env.production),
          ),
        ),
    );
    expect(applied.version).toBe(2);
    expect((await verifyAuditChain(org.owner)).brokenSeq).toBeNull();
    // A real change on the target is still caught after.
    await deployment.deployed.apply({ set: { HASH_ROTATION_1: "changed-again" }, delete: [] });
    await scanTarget(org.owner, targetId);
    expect((await openDrift()).map((d) => d.name)).toEqual(["HASH_ROTATION_1"]);
  });

  it("refuses a write hashed under the old key after the swap (try again), and lets reads and the retry through", async () => {
    const late = await variableWithValue(org, org.env.development, "HASH_ROTATION_RACE", "before");
    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let loaded: () => void = () => {};
    const keysLoaded = new Promise<void>((r) => {
      loaded = r;
    });
    // A writer loads the keys (the old hash key active) and hashes, then waits while the rotation and its swap run.
    const writer = withContext(org.owner, async (tx) => {
      const vault = await orgVault(tx, org.id);
      const stale = vault.hash("written-across-the-swap");
      loaded();
      await gate;
      await tx.execute(sql`update environment_variable_values set value_hash = ${stale}
                            where variable_id = ${late.id} and environment_id = ${org.env.development}`);
    });
    await keysLoaded;
    // It holds nothing while it waits: the swap does not wait for it (nor would a read).
    expect(await runRotation(org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    release();
    await expectDbError(writer, /key_rotated: hash key .* is no longer used for new data; try again/);
    // Trying again loads the keys again: the new hash key's hash is written.
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: late.id,
        environmentId: org.env.development,
        value: "written-across-the-swap",
        expectedVersion: 1,
      }),
    );
    expect(await hashesMatchActiveKey()).toBe(true);
  });

  it("lets no one change a hash outside a rotation's swap", async () => {
    const app = rawSql("app");
    try {
      await expectDbError(
        app.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true), set_config('app.user_id', ${org.owner.userId}, true)`;
          await tx`update value_versions set value_hash = repeat('0', 64) where organization_id = ${org.id}`;
        }),
        /key_rewrap/,
      );
      // Turning the hash swap on, without a running rotation's swap, changes nothing either; nor adds a value.
      await expectDbError(
        app.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true), set_config('app.user_id', ${org.owner.userId}, true),
                          set_config('ringbearer.hash_swap', 'on', true)`;
          await tx`update value_versions set value_hash = repeat('0', 64) where organization_id = ${org.id}`;
        }),
        /key_rewrap: hashes change only in a running rotation's swap/,
      );
      await expectDbError(
        app.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true), set_config('app.user_id', ${org.owner.userId}, true),
                          set_config('ringbearer.hash_swap', 'on', true), set_config('ringbearer.key_rotation', ${randomUUID()}, true)`;
          await tx`delete from environment_variable_values where organization_id = ${org.id}`;
        }),
        /no value is inserted or deleted in a hash swap/,
      );
      // Naming a rotation that is not running (this one never existed) changes nothing either.
      await expectDbError(
        app.begin(async (tx) => {
          await tx`select set_config('app.organization_id', ${org.id}, true), set_config('app.user_id', ${org.owner.userId}, true),
                          set_config('ringbearer.key_rotation', ${randomUUID()}, true)`;
          await tx`update environment_variable_values set value_hash = repeat('0', 64) where organization_id = ${org.id}`;
        }),
        /key_rewrap/,
      );
    } finally {
      await app.end();
    }
  });
});
