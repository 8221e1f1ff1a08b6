/**
 * Data-key rotation throughput (issue 16): every value of the generated organization re-encrypted from one
 * data-key version to the next by the job's own loop (`runRotation`: batches of 1,000 in one transaction each,
 * rows locked, guarded and written back), `runs` times (each rotation to the next version), beside the raw
 * AES-256-GCM rate of the same process on the same values — decrypt and encrypt again, nothing else — as a ratio.
 */

import { eq } from "drizzle-orm";
import { withContext } from "@/db/context";
import { environmentVariableValues, keyRotations } from "@/db/schema";
import { orgKeys } from "@/db/vault";
import { decryptValue, encryptValue } from "@/lib/crypto";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { type Result, stats } from "./measure.mts";

type Ctx = { userId: string; organizationId: string; role: "owner" };

export type RotationBench = { rotation: Result; raw: Result; values: number };

export async function benchRotation(
  ctx: Ctx,
  runs: number,
  log: (m: string) => void,
): Promise<RotationBench> {
  const rows = await withContext(ctx, (tx) =>
    tx
      .select({
        variableId: environmentVariableValues.variableId,
        environmentId: environmentVariableValues.environmentId,
        ciphertext: environmentVariableValues.encryptedValue,
      })
      .from(environmentVariableValues)
      .where(eq(environmentVariableValues.organizationId, ctx.organizationId)),
  );
  const raw: number[] = [];
  const rotations: number[] = [];
  // The raw rate: one key decrypts and encrypts again the in-memory copy, run after run.
  const keys = await withContext(ctx, (tx) => orgKeys(tx, ctx.organizationId));
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    for (const r of rows) {
      const at = {
        organizationId: ctx.organizationId,
        variableId: r.variableId,
        environmentId: r.environmentId,
      };
      r.ciphertext = encryptValue(keys.dataKey, decryptValue(keys.dataKey, r.ciphertext, at), at);
    }
    raw.push(performance.now() - t);
    t = performance.now();
    const rotation = await withContext(ctx, (tx) => startRotation(tx, ctx));
    const outcome = await runRotation(ctx, rotation.id);
    if (outcome.state !== "finished" || outcome.status !== "completed")
      throw new Error(`the rotation did not complete: ${JSON.stringify(outcome)}`);
    rotations.push(performance.now() - t);
    // Where the time went: the batches until the hash swap began, then the swap (its transaction's start).
    const [row] = await withContext(ctx, (tx) =>
      tx
        .select({
          started: keyRotations.startedAt,
          swapped: keyRotations.hashesSwappedAt,
          ended: keyRotations.finishedAt,
        })
        .from(keyRotations)
        .where(eq(keyRotations.id, rotation.id)),
    );
    const span = (a: Date | null, b: Date | null) =>
      a && b ? ((b.getTime() - a.getTime()) / 1000).toFixed(1) : "?";
    log(
      `rotation ${i + 1}: ${rows.length} values in ${(rotations[i] / 1000).toFixed(1)} s ` +
        `(batches ${span(row.started, row.swapped)} s, hash swap ${span(row.swapped, row.ended)} s); ` +
        `raw decrypt+encrypt ${(raw[i] / 1000).toFixed(2)} s`,
    );
  }
  return {
    values: rows.length,
    rotation: {
      name: `rotate the data key: re-encrypt ${rows.length.toLocaleString("en-GB")} values`,
      target: 60_000,
      ...stats(rotations),
    },
    raw: {
      name: `raw AES-256-GCM decrypt + encrypt of the same ${rows.length.toLocaleString("en-GB")} values (in memory)`,
      ...stats(raw),
    },
  };
}
