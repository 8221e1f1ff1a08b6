import { and, desc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { configurationDrift, environmentVariableAudit, syncTargets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { targetSettings } from "@/lib/validation/targets";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { dueScanTargets } from "@/server/drift/scheduled-scans";
import { testTarget } from "@/server/targets/sync-targets";
import { rotateTargetSecret, setTargetActive, updateTarget } from "@/server/targets/target-settings";
import { approveAs, makeOrg, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, variableWithValue } from "./target-fixture";

const SECRET = "a-shared-secret-for-the-settings-receiver-01";
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let targetId: string;

const row = async (id = targetId) => {
  const [r] = await withContext(org.owner, (tx) =>
    tx.select().from(syncTargets).where(eq(syncTargets.id, id)),
  );
  return r;
};

/** The form's fields for the target as it is now, with some changed. */
const settings = async (changes: Record<string, unknown> = {}, id = targetId) => {
  const r = await row(id);
  return targetSettings.parse({
    id: r.id,
    version: r.version,
    name: r.name,
    kind: r.kind,
    location: r.location,
    deleteUnmanaged: r.deleteUnmanaged ? "on" : undefined,
    autoPush: r.autoPush ? "on" : undefined,
    scanIntervalMinutes: String(r.scanIntervalMinutes),
    ...changes,
  });
};

const lastAudit = async () => {
  const [a] = await withContext(org.owner, (tx) =>
    tx
      .select({ action: environmentVariableAudit.action, details: environmentVariableAudit.changeDetails })
      .from(environmentVariableAudit)
      .where(eq(environmentVariableAudit.resourceId, targetId))
      .orderBy(desc(environmentVariableAudit.seq))
      .limit(1),
  );
  return a;
};

beforeAll(async () => {
  org = await makeOrg();
  deployment = await loopbackDeployment(SECRET);
  await variableWithValue(org, org.env.staging, "FEATURE_FLAGS", "checkout");
  targetId = await addHttpTarget(org, {
    environmentId: org.env.staging,
    name: "web-1",
    location: deployment.url,
    secret: SECRET,
  });
  expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 1 });
});

afterAll(() => deployment?.close());

describe("changing a target's settings", () => {
  it("saves them with a new version and an audit row of each setting before and after", async () => {
    const saved = await withContext(org.owner, async (tx) =>
      updateTarget(
        tx,
        org.owner,
        await settings({ scanIntervalMinutes: "5", autoPush: "on", name: "web-main" }),
      ),
    );
    expect(saved).toMatchObject({ status: "applied", version: 2 });
    expect(await row()).toMatchObject({
      name: "web-main",
      scanIntervalMinutes: 5,
      autoPush: true,
      version: 2,
    });
    expect(await lastAudit()).toMatchObject({
      action: "update",
      details: {
        name: "web-1",
        changed: {
          name: { from: "web-1", to: "web-main" },
          auto_push: { from: false, to: true },
          scan_interval_minutes: { from: 15, to: 5 },
        },
      },
    });
    expect((await row()).managedKeys).toEqual(["FEATURE_FLAGS"]); // same place: still managed
  });

  it("refuses a stale form, so a colleague's change is not overwritten", async () => {
    const stale = await settings({ version: "1", scanIntervalMinutes: "60" });
    await expect(withContext(org.owner, (tx) => updateTarget(tx, org.owner, stale))).rejects.toSatisfy(
      isCode("conflict:version"),
    );
    expect((await row()).scanIntervalMinutes).toBe(5);
  });

  it("refuses a new kind, a location unsuited to the kind, and a name the environment already has", async () => {
    await expect(
      withContext(org.owner, async (tx) =>
        updateTarget(tx, org.owner, await settings({ kind: "dotenv_file", location: "web/staging.env" })),
      ),
    ).rejects.toSatisfy((e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.kind));
    expect((await settings()).kind).toBe("http");
    const ftp = targetSettings.safeParse({ ...(await settings()), location: "ftp://deploy.example" });
    expect(ftp.error?.issues.map((i) => i.path.join("."))).toEqual(["location"]);
    const other = await addHttpTarget(org, {
      environmentId: org.env.staging,
      name: "web-2",
      location: deployment.url,
    });
    await expect(
      withContext(org.owner, async (tx) => updateTarget(tx, org.owner, await settings({ name: "web-2" }))),
    ).rejects.toSatisfy((e) => isCode("conflict:exists")(e) && Boolean((e as AppError).fieldErrors?.name));
    await withContext(org.owner, (tx) => setTargetActive(tx, org.owner, { id: other, active: false }));
  });

  it("starts the managed keys again from none at a new location", async () => {
    const moved = await withContext(org.owner, async (tx) =>
      updateTarget(tx, org.owner, await settings({ location: `${deployment.url}/` })),
    );
    // The trailing slash is normalised away: the same place, nothing reset.
    expect(moved).toMatchObject({ status: "applied", version: (await row()).version });
    expect((await row()).managedKeys).toEqual(["FEATURE_FLAGS"]);
    await withContext(org.owner, async (tx) =>
      updateTarget(
        tx,
        org.owner,
        await settings({ location: deployment.url.replace("127.0.0.1", "localhost") }),
      ),
    );
    expect((await row()).managedKeys).toEqual([]);
    expect(await lastAudit()).toMatchObject({ details: { managed_keys_reset: 1 } });
    await withContext(org.owner, async (tx) =>
      updateTarget(tx, org.owner, await settings({ location: deployment.url })),
    );
  });

  it("is for owners and admins of the organization only", async () => {
    const form = await settings({ scanIntervalMinutes: "1" });
    for (const role of ["developer", "security_reviewer", "viewer"] as const) {
      const ctx = await org.member(role);
      await expect(withContext(ctx, (tx) => updateTarget(tx, ctx, form))).rejects.toSatisfy(
        isCode("forbidden"),
      );
      await expect(withContext(ctx, (tx) => rotateTargetSecret(tx, ctx, { id: targetId }))).rejects.toSatisfy(
        isCode("forbidden"),
      );
      await expect(
        withContext(ctx, (tx) => setTargetActive(tx, ctx, { id: targetId, active: false })),
      ).rejects.toSatisfy(isCode("forbidden"));
    }
    const stranger = await makeOrg();
    await expect(
      withContext(stranger.owner, (tx) => updateTarget(tx, stranger.owner, form)),
    ).rejects.toSatisfy(isCode("not_found"));
    const admin = await org.member("admin");
    await withContext(admin, (tx) => updateTarget(tx, admin, form));
    expect((await row()).scanIntervalMinutes).toBe(1);
  });
});

describe("a production target's risky settings", () => {
  it("wait for a reviewer: a new location or deleting unmanaged keys, with a reason; approval applies it", async () => {
    const prod = await addHttpTarget(org, {
      environmentId: org.env.production,
      name: "web-prod",
      location: deployment.url,
      secret: SECRET,
    });
    const admin = await org.member("admin");
    const form = (changes: Record<string, unknown>) => settings(changes, prod);
    // A safe production change (MEDIUM) applies at once.
    expect(
      await withContext(admin, async (tx) =>
        updateTarget(tx, admin, await form({ scanIntervalMinutes: "30" })),
      ),
    ).toMatchObject({ status: "applied" });

    const risky = await form({ deleteUnmanaged: "on", location: "https://receiver-2.example:4400" });
    await expect(withContext(admin, (tx) => updateTarget(tx, admin, risky))).rejects.toSatisfy(
      (e) =>
        isCode("validation")(e) &&
        /new location.*did not push/.test(String((e as AppError).fieldErrors?.reason)),
    );
    const waiting = await withContext(admin, (tx) =>
      updateTarget(tx, admin, risky, { reason: "The web tier moved to the new host" }),
    );
    expect(waiting).toMatchObject({ status: "requested", riskLevel: "HIGH" });
    expect(await row(prod)).toMatchObject({ location: deployment.url, deleteUnmanaged: false });

    // The requester cannot approve it; a security reviewer can, and it applies as asked.
    await expect(
      withContext(admin, (tx) =>
        approveChangeRequest(tx, admin, { id: (waiting as { requestId: string }).requestId }),
      ),
    ).rejects.toSatisfy(isCode("forbidden"));
    await approveAs(org, waiting);
    expect(await row(prod)).toMatchObject({
      location: "https://receiver-2.example:4400",
      deleteUnmanaged: true,
      managedKeys: [],
      version: 3,
    });
  });
});

describe("rotating a target's secret", () => {
  it("shows a generated secret once; the receiver refuses the console until it has it", async () => {
    const { secret } = await withContext(org.owner, (tx) =>
      rotateTargetSecret(tx, org.owner, { id: targetId }),
    );
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const r = await row();
    expect(r.secretSealed).not.toContain(secret);
    expect(JSON.stringify(await lastAudit())).not.toContain(secret);
    expect(await lastAudit()).toMatchObject({ details: { secret: "rotated (generated)" } });
    expect(await testTarget(org.owner, targetId)).toEqual({
      ok: false,
      message: expect.stringContaining("check the shared secret"),
    });
    // The deployment gets the new secret (here: the console is given back the receiver's).
    const given = await withContext(org.owner, (tx) =>
      rotateTargetSecret(tx, org.owner, { id: targetId, secret: SECRET }),
    );
    expect(given.secret).toBeNull();
    expect(await testTarget(org.owner, targetId)).toMatchObject({ ok: true });
  });
});

describe("deactivating a target", () => {
  it("resolves its open drift with a note, stops scans and pushes, and activating brings them back", async () => {
    await variableWithValue(org, org.env.staging, "SEARCH_URL", "https://search.staging");
    expect(await scanTarget(org.owner, targetId)).toMatchObject({ ok: true, found: 1 });
    const done = await withContext(org.owner, (tx) =>
      setTargetActive(tx, org.owner, { id: targetId, active: false }),
    );
    expect(done.resolved).toBe(1);
    const [drift] = await withContext(org.owner, (tx) =>
      tx
        .select({ resolution: configurationDrift.resolution, notes: configurationDrift.resolutionNotes })
        .from(configurationDrift)
        .where(eq(configurationDrift.targetId, targetId)),
    );
    expect(drift).toEqual({ resolution: "auto", notes: "The target was deactivated" });
    await expect(scanTarget(org.owner, targetId)).rejects.toSatisfy(isCode("conflict:inactive"));
    await expect(pushToTarget(org.owner, { targetId })).rejects.toSatisfy(isCode("conflict:inactive"));
    expect(await dueScanTargets(org.owner)).not.toContain(targetId);
    expect(await testTarget(org.owner, targetId)).toMatchObject({ ok: true }); // check before activating

    await withContext(org.owner, (tx) => setTargetActive(tx, org.owner, { id: targetId, active: true }));
    expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 1 });
    const open = await withContext(org.owner, (tx) =>
      tx
        .select({ id: configurationDrift.id })
        .from(configurationDrift)
        .where(and(eq(configurationDrift.targetId, targetId), isNull(configurationDrift.resolvedAt))),
    );
    expect(open).toEqual([]);
  });
});
