// Longer than 300 lines: the drift scan against one set of deployed files and its fixture; the cases read as one story.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { driftSummary, openDriftCount, unresolvedDrift } from "@/db/repos/drift";
import { environmentHealth } from "@/db/repos/health";
import { configurationDrift, deploymentSyncs, environmentVariableValues } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { httpTarget } from "@/lib/targets/http-target";
import { targetInput } from "@/lib/validation/targets";
import { startReceiver } from "@/scripts/target-receiver.mts";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { resolveDrift } from "@/server/drift/drift-resolution";
import { outboundAllowlist } from "@/server/outbound";
import { createTarget, testTarget } from "@/server/targets/sync-targets";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { withSession } from "./session-fixture";
import { approveAs, makeOrg, startWeddingHours, type TestOrg } from "./support";

const SECRET = "a-shared-secret-for-the-staging-receiver-0123";
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let owner: TenantContext & { sessionId: string };
let dir: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let targetId: string;
const ids: Record<string, string> = {};
/** The deployment itself, changed behind the console's back (same secret, same protocol). */
let behind: ReturnType<typeof httpTarget>;

const set = async (name: string, value: string, expectedVersion = 0) => {
  const v = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification: name.startsWith("STRIPE") ? "confidential" : "internal",
      isRequired: name === "DATABASE_URL",
      isWeddingCritical: false,
      tags: [],
    }),
  );
  await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, { variableId: v.id, environmentId: org.env.staging, value, expectedVersion }),
  );
  return v.id;
};

const openDrift = () =>
  withContext(org.owner, (tx) =>
    tx
      .select({
        id: configurationDrift.id,
        type: configurationDrift.driftType,
        name: configurationDrift.variableName,
        severity: configurationDrift.driftSeverity,
      })
      .from(configurationDrift)
      .where(and(eq(configurationDrift.targetId, targetId), isNull(configurationDrift.resolvedAt)))
      .orderBy(configurationDrift.variableName),
  );

beforeAll(async () => {
  org = await makeOrg();
  owner = await withSession(org.owner);
  dir = await mkdtemp(path.join(os.tmpdir(), "rb-drift-"));
  receiver = await startReceiver({
    port: 0,
    file: path.join(dir, "deployed.env"),
    secret: SECRET,
    log: () => {},
  });
  behind = httpTarget({ url: receiver.url, secret: SECRET, allow: outboundAllowlist() });
  ids.DATABASE_URL = await set("DATABASE_URL", "postgres://app@db.staging:5432/app");
  ids.STRIPE_SECRET_KEY = await set("STRIPE_SECRET_KEY", "sk_test_staging_1");
  ids.FEATURE_FLAGS = await set("FEATURE_FLAGS", "checkout,search");
  const created = await withContext(org.owner, (tx) =>
    createTarget(
      tx,
      org.owner,
      targetInput.parse({
        environmentId: org.env.staging,
        name: "web-1",
        kind: "http",
        location: receiver.url,
        secret: SECRET,
        scanIntervalMinutes: "15",
      }),
    ),
  );
  targetId = created.id;
  expect(created.secret).toBeNull(); // given, not generated: nothing to show
});

afterAll(async () => {
  await receiver?.close().catch(() => {}); // already closed by the "down" test
  await rm(dir, { recursive: true, force: true });
});

describe("a sync target on loopback", () => {
  it("tests the connection, pushes everything once, and a second push sends nothing", async () => {
    expect(await testTarget(org.owner, targetId)).toEqual({
      ok: true,
      message: "Connected: 0 key(s) deployed",
    });
    const first = await pushToTarget(org.owner, { targetId });
    expect(first).toMatchObject({ status: "completed", set: 3, deleted: 0 });
    expect((await behind.values(["STRIPE_SECRET_KEY"])).get("STRIPE_SECRET_KEY")).toBe("sk_test_staging_1");
    expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 0 });
    expect((await scanTarget(org.owner, targetId)).ok).toBe(true);
    expect(await openDrift()).toEqual([]);
  });

  it("detects a value changed behind the console's back, records it once, and resolves it by push", async () => {
    await behind.apply({ set: { STRIPE_SECRET_KEY: "sk_test_someone_else" }, delete: [] });
    await scanTarget(org.owner, targetId);
    await scanTarget(org.owner, targetId); // the same drift is not recorded twice
    const drift = await openDrift();
    expect(drift.map((d) => [d.type, d.name, d.severity])).toEqual([
      ["value_mismatch", "STRIPE_SECRET_KEY", "medium"],
    ]);
    // Counted by environment and severity (the Drift page's summary and the sidebar's badge), and filtered.
    expect(await driftSummary(org.owner)).toEqual([{ environment: "staging", severity: "medium", count: 1 }]);
    expect(await openDriftCount(org.owner)).toEqual({ open: 1, critical: 0 });
    expect((await unresolvedDrift(org.owner, { severity: "critical" })).map((d) => d.name)).toEqual([]);
    expect(
      (await unresolvedDrift(org.owner, { environment: "staging", severity: "medium" })).map((d) => d.name),
    ).toEqual(["STRIPE_SECRET_KEY"]);
    const stranger = await makeOrg();
    expect(await openDriftCount(stranger.owner)).toEqual({ open: 0, critical: 0 });
    expect(await driftSummary(stranger.owner)).toEqual([]);
    expect(await resolveDrift(org.owner, { id: drift[0].id, action: "push" })).toEqual({
      status: "resolved",
      resolution: "pushed",
    });
    expect((await behind.values(["STRIPE_SECRET_KEY"])).get("STRIPE_SECRET_KEY")).toBe("sk_test_staging_1");
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
  });

  it("sees a deleted key as missing and an added key as unexpected, which survives the next push", async () => {
    await behind.apply({ set: { SENTRY_DSN: "https://key@sentry.example/1" }, delete: ["FEATURE_FLAGS"] });
    await scanTarget(org.owner, targetId);
    expect((await openDrift()).map((d) => [d.type, d.name])).toEqual([
      ["missing_variable", "FEATURE_FLAGS"],
      ["unexpected_variable", "SENTRY_DSN"],
    ]);
    const pushed = await pushToTarget(org.owner, { targetId });
    expect(pushed).toMatchObject({ status: "completed", set: 1, deleted: 0, keptUnmanaged: ["SENTRY_DSN"] });
    expect((await behind.state()).has("SENTRY_DSN")).toBe(true);
    await scanTarget(org.owner, targetId);
    // The missing key was auto-resolved by the push; the unknown one is still there, and is adopted.
    const [unexpected] = await openDrift();
    expect(unexpected).toMatchObject({ type: "unexpected_variable", name: "SENTRY_DSN" });
    const resolved = await withContext(org.owner, (tx) =>
      tx
        .select({ name: configurationDrift.variableName, resolution: configurationDrift.resolution })
        .from(configurationDrift)
        .where(eq(configurationDrift.variableName, "FEATURE_FLAGS")),
    );
    expect(resolved).toEqual([{ name: "FEATURE_FLAGS", resolution: "auto" }]);
    expect(
      await resolveDrift(org.owner, {
        id: unexpected.id,
        action: "adopt",
        note: "Sentry added by the platform team",
      }),
    ).toEqual({ status: "resolved", resolution: "adopted" });
    await scanTarget(org.owner, targetId);
    expect(await openDrift()).toEqual([]);
  });

  it("rolls back to an earlier completed sync; the console keeps its value, so a scan shows the difference", async () => {
    const [earlier] = await withContext(org.owner, (tx) =>
      tx
        .select({ id: deploymentSyncs.id })
        .from(deploymentSyncs)
        .where(and(eq(deploymentSyncs.targetId, targetId), eq(deploymentSyncs.syncStatus, "completed")))
        .orderBy(deploymentSyncs.startedAt)
        .limit(1),
    );
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: ids.STRIPE_SECRET_KEY,
        environmentId: org.env.staging,
        value: "sk_test_staging_2",
        expectedVersion: 1,
      }),
    );
    await pushToTarget(org.owner, { targetId });
    expect((await behind.values(["STRIPE_SECRET_KEY"])).get("STRIPE_SECRET_KEY")).toBe("sk_test_staging_2");
    const rollback = await pushToTarget(org.owner, { targetId, rollbackOf: earlier.id });
    expect(rollback).toMatchObject({ status: "completed" });
    expect((await behind.values(["STRIPE_SECRET_KEY"])).get("STRIPE_SECRET_KEY")).toBe("sk_test_staging_1");
    // The console keeps its value, so the next scan shows the difference.
    await scanTarget(org.owner, targetId);
    expect((await openDrift()).map((d) => [d.type, d.name])).toContainEqual([
      "value_mismatch",
      "STRIPE_SECRET_KEY",
    ]);
  });

  it("flags a production secret deployed on the staging target as a critical security violation", async () => {
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: ids.STRIPE_SECRET_KEY,
          environmentId: org.env.production,
          value: "sk_live_production_only",
          expectedVersion: 0,
          note: "The live key for production",
        }),
      ),
    );
    await behind.apply({ set: { STRIPE_SECRET_KEY: "sk_live_production_only" }, delete: [] });
    await scanTarget(org.owner, targetId);
    expect((await openDrift()).filter((d) => d.name === "STRIPE_SECRET_KEY")).toEqual([
      expect.objectContaining({ type: "security_violation", severity: "critical" }),
    ]);
    const staging = async () =>
      (await environmentHealth(org.owner)).find((e) => e.name === "staging")?.health;
    expect(await staging()).toMatchObject({ status: "critical", critical_drift: 1 });
    expect((await staging())?.reasons).toContain("1 critical drift");
    await pushToTarget(org.owner, { targetId });
    await scanTarget(org.owner, targetId);
    expect((await openDrift()).filter((d) => d.name === "STRIPE_SECRET_KEY")).toEqual([]);
    expect(await staging()).toMatchObject({ status: "healthy", reasons: [] });
  });

  it("a target that is down gives a failed sync with a clear error, and nothing changes in the console", async () => {
    await receiver.close();
    const before = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableValues)
        .where(eq(environmentVariableValues.environmentId, org.env.staging)),
    );
    const failed = await pushToTarget(org.owner, { targetId });
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/Could not connect/);
    const [row] = await withContext(org.owner, (tx) =>
      tx
        .select({ status: deploymentSyncs.syncStatus, errors: deploymentSyncs.errorLog })
        .from(deploymentSyncs)
        .where(eq(deploymentSyncs.id, failed.syncId)),
    );
    expect(row).toMatchObject({ status: "failed" });
    expect(row.errors?.join(" ")).toMatch(/Could not connect/);
    expect(await scanTarget(org.owner, targetId)).toMatchObject({ ok: false });
    const after = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableValues)
        .where(eq(environmentVariableValues.environmentId, org.env.staging)),
    );
    expect(after).toEqual(before);
  });
});

describe("who may sync, and wedding hours", () => {
  it("refuses a viewer's push and a developer's target; production is locked during a wedding", async () => {
    const viewer = await org.member("viewer");
    await expect(pushToTarget(viewer, { targetId })).rejects.toSatisfy(isCode("forbidden"));
    const dev = await org.member("developer");
    await expect(
      withContext(dev, (tx) =>
        createTarget(
          tx,
          dev,
          targetInput.parse({
            environmentId: org.env.production,
            name: "prod",
            kind: "dotenv_file",
            location: "prod.env",
            scanIntervalMinutes: "15",
          }),
        ),
      ),
    ).rejects.toSatisfy(isCode("forbidden"));
    const bad = targetInput.safeParse({
      environmentId: org.env.production,
      name: "Prod!",
      kind: "dotenv_file",
      location: "../../etc/passwd",
      scanIntervalMinutes: "0",
    });
    expect(bad.success).toBe(false);
    expect(Object.keys(bad.error?.flatten().fieldErrors ?? {}).sort()).toEqual([
      "location",
      "name",
      "scanIntervalMinutes",
    ]);

    const previous = process.env.RINGBEARER_SYNC_FILE_ROOT;
    process.env.RINGBEARER_SYNC_FILE_ROOT = dir;
    try {
      const file = await approveAs(
        org,
        await withContext(org.owner, (tx) =>
          createTarget(
            tx,
            org.owner,
            targetInput.parse({
              environmentId: org.env.production,
              name: "prod",
              kind: "dotenv_file",
              location: "prod/production.env",
              scanIntervalMinutes: "15",
            }),
            { reason: "The production web tier's file" },
          ),
        ),
      );
      await expect(
        withContext(org.owner, (tx) =>
          // As a caller that skips the form would send it: the database layer refuses it too.
          createTarget(tx, org.owner, {
            environmentId: org.env.production,
            name: "escape",
            kind: "dotenv_file",
            location: "../../etc/passwd",
            scanIntervalMinutes: 15,
            deleteUnmanaged: false,
            autoPush: false,
          }),
        ),
      ).rejects.toSatisfy((e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.location));
      expect(await pushToTarget(owner, { targetId: file.id })).toMatchObject({ status: "completed" });
      await startWeddingHours(org);
      await expect(pushToTarget(owner, { targetId: file.id })).rejects.toSatisfy(
        isCode("locked:wedding_hours"),
      );
    } finally {
      process.env.RINGBEARER_SYNC_FILE_ROOT = previous;
    }
  });
});
