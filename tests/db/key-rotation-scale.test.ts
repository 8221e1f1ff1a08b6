/**
 * Data-key rotation at scale (issue 16): 200,000 values re-encrypted while four writers keep saving — no lost
 * update, nothing undecryptable, every value under the new key, figures that add up — and a worker killed
 * mid-rotation (SIGKILL, its batch in flight) whose rotation the next run resumes and finishes.
 */
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { toAppError } from "@/db/errors";
import { keyRotations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { keysOverview } from "@/server/keys/key-reads";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { setValue } from "@/server/values/values";
import { decryptAll, scaleOrg, versionOf } from "./rotation-scale";
import type { TestOrg } from "./support";

const rotationOf = (org: TestOrg, id: string) =>
  withContext(org.owner, (tx) => tx.select().from(keyRotations).where(eq(keyRotations.id, id))).then(
    ([r]) => r,
  );

describe("a rotation of 200,000 values", () => {
  it("loses no update of four concurrent writers and leaves every value decryptable under the new key", async () => {
    const { org, envIds, varIds } = await scaleOrg(10_000, 20);
    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    expect(rotation.total).toBe(200_000);

    let running = true;
    const written = new Map<string, string>();
    let writes = 0;
    let retried = 0;
    const writer = async (w: number) => {
      for (let n = 0; running; n++) {
        // Each writer its own variables: no two writers race for one value (that is the stale-version test's).
        const variableId = varIds[(n * 4 + w) % varIds.length];
        const environmentId = envIds[n % envIds.length];
        const value = `writer-${w}-${n}`;
        try {
          const expectedVersion = await versionOf(org, variableId, environmentId);
          await withContext(org.owner, (tx) =>
            setValue(tx, org.owner, { variableId, environmentId, value, expectedVersion }),
          );
          written.set(`${variableId}:${environmentId}`, value);
          writes++;
        } catch (error) {
          // Keys loaded just before the hash-key swap: the write is refused, to be tried again (409 in the app).
          const refused = toAppError(error);
          if (!(refused instanceof AppError && refused.code === "conflict:key_rotated")) throw error;
          retried++;
        }
        // Ten saves a second each, far beyond a person's pace, and not a load test: the two cores are the
        // rotation's too (at 25 ms apart the writers took most of them, and the rotation ten times as long).
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const outcome = await runRotation(org.owner, rotation.id).finally(() => {
      running = false;
    });
    await Promise.all(writers);
    expect(outcome).toEqual({ state: "finished", status: "completed" });
    expect(writes).toBeGreaterThan(100);

    const { values, undecryptable, keys } = await decryptAll(org);
    expect(undecryptable).toBe(0);
    expect([...keys]).toEqual([rotation.dataKeyId]);
    expect(values.size).toBe(200_000);
    const lost = [...written].filter(([at, value]) => values.get(at) !== value);
    expect(lost).toEqual([]);

    const done = await rotationOf(org, rotation.id);
    expect(done).toMatchObject({ status: "completed", failed: 0 });
    expect(done.processed).toBe(done.succeeded + done.failed);
    // What the writers moved to the new key themselves, the job did not have to: processed + moved = total.
    expect(done.processed).toBeLessThanOrEqual(done.total);
    expect(done.processed).toBeGreaterThanOrEqual(done.total - writes);
    const overview = await withContext(org.owner, (tx) => keysOverview(tx, org.owner));
    expect(overview.rotation).toMatchObject({ remaining: 0, percent: 100 });
    console.log(
      `rotation of 200,000 values beside 4 writers: ${writes} writes, ${retried} retried, ` +
        `${done.processed} re-encrypted by the job, ${((done.finishedAt?.getTime() ?? 0) - done.startedAt.getTime()) / 1000} s`,
    );
  }, 600_000);
});

describe("a worker killed mid-rotation", () => {
  it("leaves a rotation the next run resumes and finishes, with figures that add up", async () => {
    const { org } = await scaleOrg(2_000, 5);
    const rotation = await withContext(org.owner, (tx) => startRotation(tx, org.owner));
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "tests/db/rotation-worker.mts",
        org.id,
        org.owner.userId,
        rotation.id,
      ],
      { stdio: "ignore", env: process.env },
    );
    const exited = new Promise((r) => child.once("exit", r));
    for (const deadline = Date.now() + 60_000; ; ) {
      const now = await rotationOf(org, rotation.id);
      if (now.processed >= 1_000) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the worker made no progress");
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await exited;
    const killed = await rotationOf(org, rotation.id);
    expect(killed.status).toBe("running");
    expect(killed.processed).toBeLessThan(10_000);

    expect(await runRotation(org.owner, rotation.id)).toEqual({ state: "finished", status: "completed" });
    const done = await rotationOf(org, rotation.id);
    expect(done).toMatchObject({
      status: "completed",
      total: 10_000,
      processed: 10_000,
      succeeded: 10_000,
      failed: 0,
    });
    const { undecryptable, keys, values } = await decryptAll(org);
    expect({ undecryptable, keys: [...keys], values: values.size }).toEqual({
      undecryptable: 0,
      keys: [rotation.dataKeyId],
      values: 10_000,
    });
  }, 120_000);
});
