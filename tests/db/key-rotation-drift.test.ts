/**
 * Drift detection across a data-key rotation (issue 16), against the reference receiver on loopback: in sync
 * before; a scan half-way through the rotation and after it finds no drift (the target's secret was re-encrypted
 * too, and deployed hashes are keyed by that secret, not by any organization key); a value changed on the target
 * is still caught after; a push after the rotation sends nothing that had not changed.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { configurationDrift, syncTargets } from "@/db/schema";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { startRotation } from "@/server/keys/rotation";
import { rotateBatch, runRotation } from "@/server/keys/rotation-run";
import { makeOrg, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, variableWithValue } from "./target-fixture";

let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let targetId: string;

const openDrift = () =>
  withContext(org.owner, (tx) =>
    tx
      .select({ type: configurationDrift.driftType, name: configurationDrift.variableName })
      .from(configurationDrift)
      .where(and(eq(configurationDrift.targetId, targetId), isNull(configurationDrift.resolvedAt))),
  );

beforeAll(async () => {
  org = await makeOrg();
  const secret = randomBytes(24).toString("hex");
  deployment = await loopbackDeployment(secret);
  for (let i = 0; i < 6; i++)
    await variableWithValue(org, org.env.staging, `ROTATION_DRIFT_${i}`, `value-${i}`);
  targetId = await addHttpTarget(org, {
    environmentId: org.env.staging,
    name: "loopback",
    location: deployment.url,
    secret,
  });
  expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 6 });
});

afterAll(async () => {
  await deployment?.close();
});

describe("drift detection across a data-key rotation", () => {
  it("finds nothing before, half-way and after, still catches a real change, and pushes nothing new", async () => {
    expect((await scanTarget(org.owner, targetId)).ok).toBe(true);
    expect(await openDrift()).toEqual([]);

    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    expect(await rotateBatch(org.owner, rotation.id, 4)).toMatchObject({ state: "more", succeeded: 4 });
    expect((await scanTarget(org.owner, targetId)).ok).toBe(true);
    expect(await openDrift()).toEqual([]);

    expect(await runRotation(org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    const [target] = await withContext(org.owner, (tx) =>
      tx.select().from(syncTargets).where(eq(syncTargets.id, targetId)),
    );
    expect(target.encryptionKeyId).toBe(rotation.dataKeyId); // its secret re-encrypted too
    expect((await scanTarget(org.owner, targetId)).ok).toBe(true);
    expect(await openDrift()).toEqual([]);

    await deployment.deployed.apply({ set: { ROTATION_DRIFT_3: "changed-on-the-target" }, delete: [] });
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([{ type: "value_mismatch", name: "ROTATION_DRIFT_3" }]);
    expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 1 });
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
  });
});
