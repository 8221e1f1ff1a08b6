import { desc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { deploymentSyncs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { queueAutoPushes } from "@/server/deploy/auto-push";
import { pushToTarget } from "@/server/deploy/deploy";
import { createBoss } from "@/server/job-boss";
import { defineJobs, enqueueAutoPushes, QUEUES, startWorkers } from "@/server/jobs";
import { setValue } from "@/server/values/values";
import { makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, until, variableWithValue } from "./target-fixture";

const SECRET = "a-shared-secret-for-automatic-pushes-000001";
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let boss: PgBoss | undefined;
let flags: { id: string; version: number };

const addTarget = (environmentId: string, name: string, autoPush: boolean, location = deployment.url) =>
  addHttpTarget(org, { environmentId, name, location, secret: SECRET, autoPush });

const syncsOf = (targetId: string) =>
  withContext(org.owner, (tx) =>
    tx
      .select({
        type: deploymentSyncs.syncType,
        status: deploymentSyncs.syncStatus,
        errors: deploymentSyncs.errorLog,
        details: deploymentSyncs.syncDetails,
      })
      .from(deploymentSyncs)
      .where(eq(deploymentSyncs.targetId, targetId))
      .orderBy(desc(deploymentSyncs.startedAt)),
  );

const setFlags = async (value: string) => {
  const written = await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: flags.id,
      environmentId: org.env.staging,
      value,
      expectedVersion: flags.version,
    }),
  );
  if (written.status !== "applied") throw new Error("staging values apply at once");
  flags.version = written.version;
};

beforeAll(async () => {
  org = await makeOrg();
  deployment = await loopbackDeployment(SECRET);
  flags = await variableWithValue(org, org.env.staging, "FEATURE_FLAGS", "checkout");
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await deployment?.close();
});

describe("automatic pushes", () => {
  it("push a target that asks for it when its environment changed, through the queue, and only then", async () => {
    const auto = await addTarget(org.env.staging, "web-auto", true);
    const manual = await addTarget(org.env.staging, "web-manual", false);
    const queue = createBoss(inject("databaseUrl"), { schedule: false, supervise: false });
    boss = queue;
    await queue.start();
    await defineJobs(queue);

    // Never pushed: the first automatic push sends everything. A target without auto-push is left alone.
    expect((await enqueueAutoPushes(queue)).queued).toEqual([auto]);
    expect(await syncsOf(auto)).toMatchObject([{ type: "automated", status: "pending" }]);
    expect(await syncsOf(manual)).toEqual([]);
    // Pending is a claim: the next minute does not queue it twice, and a manual push waits its turn.
    expect(await queueAutoPushes(org.owner)).toEqual([]);
    await expect(pushToTarget(org.owner, { targetId: auto })).rejects.toSatisfy(isCode("conflict:running"));

    await startWorkers(queue, { pollingIntervalSeconds: 0.5 });
    await until(async () => (await syncsOf(auto))[0]?.status === "completed");
    expect(await syncsOf(auto)).toMatchObject([
      {
        type: "automated",
        status: "completed",
        details: { set: ["FEATURE_FLAGS"], progress: { phase: "done" } },
      },
    ]);
    expect((await deployment.deployed.values(["FEATURE_FLAGS"])).get("FEATURE_FLAGS")).toBe("checkout");
    expect(await queueAutoPushes(org.owner)).toEqual([]); // nothing changed since

    await setFlags("checkout,search");
    const [next] = await queueAutoPushes(org.owner);
    expect(next.targetId).toBe(auto);
    await queue.send(QUEUES.pushTarget, { organizationId: org.id, ...next }, { singletonKey: next.syncId });
    await until(async () => (await syncsOf(auto))[0]?.status === "completed");
    expect((await deployment.deployed.values(["FEATURE_FLAGS"])).get("FEATURE_FLAGS")).toBe(
      "checkout,search",
    );
  });

  it("hold a rollback until the next change", async () => {
    const target = await addTarget(org.env.staging, "web-rollback", true);
    const first = await pushToTarget(org.owner, { targetId: target });
    await setFlags("checkout,search,gifts");
    await pushToTarget(org.owner, { targetId: target });
    await pushToTarget(org.owner, { targetId: target, rollbackOf: first.syncId });
    expect(await queueAutoPushes(org.owner)).not.toContainEqual(
      expect.objectContaining({ targetId: target }),
    );
  });

  it("wait out wedding hours on a protected environment, and five minutes after a failure", async () => {
    const production = await addTarget(org.env.production, "prod-auto", true);
    const down = await addTarget(org.env.staging, "web-down", true, "http://127.0.0.1:9");
    const prodFlags = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: flags.id,
        environmentId: org.env.production,
        value: "checkout",
        expectedVersion: 0,
      }),
    );
    expect(prodFlags.status).toBe("applied");

    const queued = (await queueAutoPushes(org.owner)).map((q) => q.targetId);
    expect(queued).toEqual(expect.arrayContaining([production, down]));
    const owner = rawSql("super"); // the queued rows are not run here: clear them for the next step
    await owner`delete from deployment_syncs where target_id = ${production}`;
    await owner.end();

    const failed = await queueAutoPushes(org.owner).then((q) => q.find((x) => x.targetId === down));
    expect(failed).toBeUndefined(); // its pending row is still there
    const [pending] = await withContext(org.owner, (tx) =>
      tx.select({ id: deploymentSyncs.id }).from(deploymentSyncs).where(eq(deploymentSyncs.targetId, down)),
    );
    const outcome = await pushToTarget(org.owner, {
      targetId: down,
      syncType: "automated",
      pendingSyncId: pending.id,
    });
    expect(outcome.status).toBe("failed");
    expect((await queueAutoPushes(org.owner)).map((q) => q.targetId)).not.toContain(down);

    await startWeddingHours(org);
    expect((await queueAutoPushes(org.owner)).map((q) => q.targetId)).not.toContain(production);
  });
});

describe("one push at a time per target", () => {
  it("fails a push left running by a stopped console after 15 minutes, so the target is not blocked", async () => {
    const target = await addTarget(org.env.staging, "web-stuck", false);
    const s = rawSql("super");
    await s`insert into deployment_syncs (organization_id, environment_id, target_id, sync_type, sync_status, started_by, started_at)
            values (${org.id}, ${org.env.staging}, ${target}, 'manual', 'in_progress', ${org.owner.userId}, now() - interval '20 minutes')`;
    await s.end();
    expect(await pushToTarget(org.owner, { targetId: target })).toMatchObject({ status: "completed" });
    expect((await syncsOf(target)).map((r) => [r.status, r.errors])).toEqual([
      ["completed", null],
      ["failed", ["Abandoned: the console stopped before this push finished"]],
    ]);
  });

  it("reports its phases live as it goes", async () => {
    const target = await addTarget(org.env.staging, "web-live", false);
    await setFlags("checkout,search,gifts,rsvp");
    const listener = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    const events: { kind: string; running: boolean }[] = [];
    const { unlisten } = await listener.listen("ringbearer_changes", (payload) => {
      const event = JSON.parse(payload);
      if (event.org === org.id && event.kind === "sync") events.push(event);
    });
    await pushToTarget(org.owner, { targetId: target });
    await until(async () => events.length >= 3, 3000);
    await unlisten();
    await listener.end();
    // Started (reading), sending, and finished: each a notification of counts, never a value.
    expect(events.map((e) => e.running)).toEqual([true, true, false]);
  });
});
