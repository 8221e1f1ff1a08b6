/**
 * The deployment sync at scale: one environment pushed to the reference receiver over HTTP on loopback (first
 * push, idempotent re-push) and scanned for drift (none, then 100 values changed behind the console's back).
 * Imported by scripts/bench.mts once the database environment variables are set.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TenantContext } from "@/db/context";
import { withContext } from "@/db/context";
import { parseAllowlist } from "@/lib/net/outbound-policy";
import { httpTarget } from "@/lib/targets/http-target";
import { targetInput } from "@/lib/validation/targets";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { createTarget } from "@/server/targets/sync-targets";
import { startReceiver } from "../target-receiver.mts";
import type { Record, Result } from "./measure.mts";

/** Measures into `sync`; returns the size of the deployed `.env` file (bytes). */
export async function benchSync(
  ctx: TenantContext,
  first: { id: string },
  keyCount: number,
  runs: number,
  record: Record,
  sync: Result[],
) {
  const targetDir = await mkdtemp(path.join(os.tmpdir(), "ringbearer-bench-target-"));
  const deployedFile = path.join(targetDir, "deployed.env");
  const secret = randomBytes(32).toString("base64url");
  const receiver = await startReceiver({ port: 0, file: deployedFile, secret, log: () => {} });
  let deployedBytes = 0;
  try {
    const created = await withContext(ctx, (tx) =>
      createTarget(
        tx,
        ctx,
        targetInput.parse({
          environmentId: first.id,
          name: "bench-web",
          kind: "http",
          location: receiver.url,
          secret,
          scanIntervalMinutes: "1440",
        }),
      ),
    );
    if (created.status !== "applied") throw new Error("the bench target must be outside production");
    const targetId = created.id;
    const push = async (expectSet: number) => {
      const outcome = await pushToTarget(ctx, { targetId });
      if (outcome.status !== "completed" || outcome.set !== expectSet)
        throw new Error(
          `push: ${outcome.status}, ${outcome.set} set (expected ${expectSet}): ${outcome.message}`,
        );
    };
    const scan = async (expectOpen: number) => {
      const result = await scanTarget(ctx, targetId);
      if (!result.ok || result.open !== expectOpen)
        throw new Error(`scan: ${result.message} (expected ${expectOpen} open finding(s))`);
      return result;
    };
    // Each run starts from an empty deployment (the file removed), so every run sends all 10,000 keys.
    await record("first push, 10,000 keys (all sent)", runs, () => push(keyCount), 10_000, {
      prepare: () => rm(deployedFile, { force: true }),
      into: sync,
      keys: keyCount,
    });
    deployedBytes = (await stat(deployedFile)).size;
    await record("push again, nothing differs (nothing sent)", runs, () => push(0), undefined, {
      into: sync,
      keys: keyCount,
    });
    await record("drift scan, 10,000 keys, no drift", runs, () => scan(0), 2000, {
      into: sync,
      keys: keyCount,
    });
    // The deployment changed behind the console's back: 100 values, spread over the key range, set directly
    // on the receiver. Before each run the previous change is undone and one untimed scan resolves it.
    const behind = httpTarget({ url: receiver.url, secret, allow: parseAllowlist("127.0.0.1") });
    const names = [...(await behind.state()).keys()].sort().filter((_, i) => i % 100 === 0);
    const original = Object.fromEntries(await behind.values(names));
    let round = 0;
    await record(
      "drift scan, 10,000 keys, 100 values changed on the target",
      runs,
      () => scan(names.length),
      2000,
      {
        prepare: async () => {
          if (round > 0) {
            await behind.apply({ set: original, delete: [] });
            if ((await scan(0)).resolved !== names.length) throw new Error("scan: drift not resolved");
          }
          round++;
          await behind.apply({
            set: Object.fromEntries(names.map((n) => [n, `changed-${round}-${n}`])),
            delete: [],
          });
        },
        into: sync,
        keys: keyCount,
      },
    );
    await behind.apply({ set: original, delete: [] });
    await scan(0);
  } finally {
    await receiver.close();
    await rm(targetDir, { recursive: true, force: true });
  }
  return deployedBytes;
}
