import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { targetInput, targetSettings } from "@/lib/validation/targets";
import { type Receiver, startReceiver } from "@/scripts/target-receiver.mts";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { createTarget, testTarget } from "@/server/targets/sync-targets";
import { updateTarget } from "@/server/targets/target-settings";
import { makeOrg, type TestOrg } from "./support";
import { variableWithValue } from "./target-fixture";

/**
 * SSRF (finding 8): with the operator's allowlist empty, the console reaches nothing on this machine or a
 * private network from a sync target — not by its test, scan or push — and says only "Could not connect to
 * host:port", as it does for a closed port. The loopback receiver here counts the requests that reach it.
 */
const SECRET = "ssrf-db-test-secret-0123456789-abcdef";
const TEST_ALLOWLIST = process.env.RINGBEARER_OUTBOUND_ALLOW;
const withoutAllowlist = () => {
  process.env.RINGBEARER_OUTBOUND_ALLOW = "";
};
afterEach(() => {
  process.env.RINGBEARER_OUTBOUND_ALLOW = TEST_ALLOWLIST;
});

let org: TestOrg;
let dir: string;
let receiver: Receiver;
let requests = 0;

beforeAll(async () => {
  org = await makeOrg();
  dir = await mkdtemp(path.join(os.tmpdir(), "rb-ssrf-"));
  receiver = await startReceiver({
    port: 0,
    file: path.join(dir, "deployed.env"),
    secret: SECRET,
    log: () => {
      requests += 1;
    },
  });
});

afterAll(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

const isValidation = (field: string) => (e: unknown) =>
  e instanceof AppError && e.code === "validation" && Boolean(e.fieldErrors?.[field]?.length);

const newTarget = (name: string, location: string) =>
  withContext(org.owner, (tx) =>
    createTarget(
      tx,
      org.owner,
      targetInput.parse({
        environmentId: org.env.staging,
        name,
        kind: "http",
        location,
        secret: SECRET,
        scanIntervalMinutes: "15",
      }),
    ),
  );

describe("HTTP sync targets under the outbound policy", () => {
  it("refuses to save a private, loopback or metadata address, with a field error", async () => {
    withoutAllowlist();
    const port = receiver.port;
    for (const location of [
      "http://169.254.169.254/latest/meta-data",
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
      `http://2130706433:${port}`,
      `http://0x7f.1:${port}`,
      `http://[::ffff:127.0.0.1]:${port}`,
      "http://10.0.0.5:4400",
      "http://192.168.1.20",
    ]) {
      await expect(newTarget("metadata", location), location).rejects.toSatisfy(isValidation("location"));
    }
    expect(requests).toBe(0);
  });

  it("refuses at connect time what the allowlist no longer opens: test, scan and push reach nothing", async () => {
    const { id } = await newTarget("web-1", receiver.url); // allowed by the test suite's allowlist
    await variableWithValue(org, org.env.staging, "FEATURE_FLAGS", "checkout");
    withoutAllowlist();
    const where = new URL(receiver.url).host;
    expect(await testTarget(org.owner, id)).toEqual({ ok: false, message: `Could not connect to ${where}` });
    expect(await scanTarget(org.owner, id)).toMatchObject({
      ok: false,
      message: `Could not connect to ${where}`,
    });
    expect(await pushToTarget(org.owner, { targetId: id })).toMatchObject({
      status: "failed",
      message: `Could not connect to ${where}`,
    });
    expect(requests).toBe(0);

    // Re-pointing the target at another private address is refused too.
    const settings = (location: string) =>
      targetSettings.parse({
        id,
        version: 1,
        name: "web-1",
        kind: "http",
        location,
        scanIntervalMinutes: "15",
      });
    await expect(
      withContext(org.owner, (tx) => updateTarget(tx, org.owner, settings("http://169.254.169.254/"))),
    ).rejects.toSatisfy(isValidation("location"));

    // With the allowlist back, the same target works: the refusal was the policy, nothing else.
    process.env.RINGBEARER_OUTBOUND_ALLOW = TEST_ALLOWLIST;
    expect(await testTarget(org.owner, id)).toMatchObject({ ok: true });
    expect(requests).toBeGreaterThan(0);
  });
});
