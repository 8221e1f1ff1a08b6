/**
 * The re-encryption guard (migration 0043) checks each statement whole: one row of a statement that does not move
 * to the running rotation's key, or that lies in an environment under a wedding lock, refuses the statement and
 * changes nothing; a statement that touches no row passes; a rotation started under break-glass for an
 * environment re-encrypts it during its window, and one started without waits for the window to end.
 */
import type { TransactionSql } from "postgres";
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { liveEmergencySession } from "@/db/repos/emergency";
import { openEmergencySession } from "@/server/emergency/emergency";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { withSession } from "./session-fixture";
import { expectDbError, rawSql, startWeddingHours } from "./support";
import { valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
const ROLLBACK = new Error("rollback");

/** As the app role, in the organization, naming the rotation: what the job's transaction is. */
async function asJob(fx: Fixture, rotationId: string, fn: (t: TransactionSql) => Promise<unknown>) {
  const app = rawSql("app");
  try {
    await app.begin(async (t) => {
      await t`select set_config('app.user_id', ${fx.org.owner.userId}, true),
                     set_config('app.organization_id', ${fx.org.id}, true),
                     set_config('ringbearer.key_rotation', ${rotationId}, true)`;
      await fn(t);
    });
  } finally {
    await app.end();
  }
}

/** The statement passed the guard (and is rolled back: its ciphertexts were not really re-encrypted). */
async function passes(fx: Fixture, rotationId: string, fn: (t: TransactionSql) => Promise<unknown>) {
  const outcome = await asJob(fx, rotationId, async (t) => {
    await fn(t);
    throw ROLLBACK;
  }).catch((e: unknown) => e);
  expect(outcome).toBe(ROLLBACK);
}

async function keysInUse(organizationId: string) {
  const su = rawSql("super");
  try {
    const rows = await su<{ key: string }[]>`
      select distinct encryption_key_id as key from environment_variable_values where organization_id = ${organizationId}`;
    return rows.map((r) => r.key);
  } finally {
    await su.end();
  }
}

describe("the re-encryption guard", () => {
  it("refuses a whole statement when one of its rows does not move to the rotation's key", async () => {
    const fx = await valueFixture();
    const before = await keysInUse(fx.org.id);
    const rotation = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
    await expectDbError(
      asJob(
        fx,
        rotation.id,
        (t) =>
          t`update environment_variable_values
             set encryption_key_id = case when variable_id = ${fx.ids.SESSION_SECRET} then encryption_key_id
                                          else ${rotation.dataKeyId} end
           where organization_id = ${fx.org.id}`,
      ),
      /not a re-encryption to the running rotation's key/,
    );
    expect(await keysInUse(fx.org.id)).toEqual(before);
    // Every row moved, nothing else changed: passes.
    await passes(
      fx,
      rotation.id,
      (t) =>
        t`update environment_variable_values set encryption_key_id = ${rotation.dataKeyId} where organization_id = ${fx.org.id}`,
    );
    // A statement that touches no row passes, in a rotation or outside one.
    await passes(fx, rotation.id, (t) => t`update value_versions set encrypted_value = 'x' where false`);
    await passes(fx, "", (t) => t`update change_request_items set new_encrypted_value = 'x' where false`);
    expect(await runRotation(fx.org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    expect(await fx.reveal("SESSION_SECRET", "staging")).toBe("stagingsecret");
  });

  it("refuses rows of an environment under a wedding lock, unless the rotation started under break-glass for it", async () => {
    const fx = await valueFixture();
    await fx.set("SESSION_SECRET", "production", "productionsecret");
    await startWeddingHours(fx.org);
    const plain = await withContext(fx.org.owner, (tx) => startRotation(tx, fx.org.owner));
    expect(plain.breakGlassEnvironmentIds).toEqual([]);
    const move = (rotation: typeof plain, environmentId: string) => (t: TransactionSql) =>
      t`update environment_variable_values set encryption_key_id = ${rotation.dataKeyId}
         where organization_id = ${fx.org.id} and environment_id = ${environmentId}`;
    await expectDbError(
      asJob(fx, plain.id, move(plain, fx.org.env.production)),
      /locked:wedding_hours: environment .* waits for its window to end/,
    );
    await passes(fx, plain.id, move(plain, fx.org.env.staging));
    expect(await runRotation(fx.org.owner, plain.id)).toEqual({
      state: "waiting",
      environments: ["production"],
    });

    // The owner breaks glass for production, and a rotation started now re-encrypts it during the window.
    const other = await valueFixture();
    await other.set("SESSION_SECRET", "production", "productionsecret");
    await startWeddingHours(other.org);
    const owner = await withSession(other.org.owner);
    await withContext(owner, (tx) =>
      openEmergencySession(tx, owner, {
        environmentId: other.org.env.production,
        reason: "Rotating the data key after a leaked backup; cannot wait",
        minutes: 30,
      }),
    );
    const live = await withContext(owner, (tx) => liveEmergencySession(tx, owner));
    const glass = { ...owner, emergencySessionId: live?.id };
    const rotation = await withContext(glass, (tx) => startRotation(tx, glass));
    expect(rotation.breakGlassEnvironmentIds).toEqual([other.org.env.production]);
    expect(await runRotation(other.org.owner, rotation.id)).toEqual({
      state: "finished",
      status: "completed",
    });
    expect(await keysInUse(other.org.id)).toEqual([rotation.dataKeyId]);
    expect(await other.reveal("SESSION_SECRET", "production")).toBe("productionsecret");
  });
});
