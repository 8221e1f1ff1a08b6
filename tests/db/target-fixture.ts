import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { withContext } from "@/db/context";
import { httpTarget } from "@/lib/targets/http-target";
import { targetInput } from "@/lib/validation/targets";
import { startReceiver } from "@/scripts/target-receiver.mts";
import { outboundAllowlist } from "@/server/outbound";
import { createTarget } from "@/server/targets/sync-targets";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, type TestOrg } from "./support";

/**
 * A deployment on loopback: the reference receiver serving a `.env` file in its own temporary folder, and
 * `deployed`, a driver to change it behind the console's back (same secret, same protocol).
 */
export async function loopbackDeployment(secret: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rb-deployment-"));
  const receiver = await startReceiver({
    port: 0,
    file: path.join(dir, "deployed.env"),
    secret,
    log: () => {},
  });
  return {
    url: receiver.url,
    receiver,
    deployed: httpTarget({ url: receiver.url, secret, allow: outboundAllowlist() }),
    async close() {
      await receiver.close().catch(() => {}); // a test may have stopped it already
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP target of one environment, added by the owner as the form would (approved if it waits); its id. */
export async function addHttpTarget(
  org: TestOrg,
  target: { environmentId: string; name: string; location: string; secret?: string; autoPush?: boolean },
) {
  const created = await withContext(org.owner, (tx) =>
    createTarget(
      tx,
      org.owner,
      targetInput.parse({
        ...target,
        kind: "http",
        scanIntervalMinutes: "15",
        autoPush: target.autoPush ? "on" : undefined,
      }),
      { reason: "A deployment for the tests" },
    ),
  );
  // A production target waits for a reviewer, as in the console: approve it here.
  await approveAs(org, created);
  return created.id;
}

/** An internal configuration variable with a value in one environment (set by the owner). */
export async function variableWithValue(org: TestOrg, environmentId: string, name: string, value: string) {
  const variable = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "configuration",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  const written = await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, { variableId: variable.id, environmentId, value, expectedVersion: 0 }),
  );
  if (written.status !== "applied") throw new Error(`${name} did not apply at once`);
  return { id: variable.id, version: written.version };
}

/** Polls until a background worker has done its part (pg-boss, NOTIFY). */
export async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting for the worker");
    await new Promise((r) => setTimeout(r, 100));
  }
}
