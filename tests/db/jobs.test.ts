import { and, eq, isNull } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { jobContexts } from "@/db/job-contexts";
import { configurationDrift, environmentVariableAudit, syncTargets } from "@/db/schema";
import { masterKey } from "@/db/vault";
import { jobRunnerProof } from "@/lib/crypto";
import { dueScanTargets } from "@/server/drift/scheduled-scans";
import { createBoss } from "@/server/job-boss";
import { defineJobs, enqueueDueScans, QUEUES, scanTargetJob, startWorkers } from "@/server/jobs";
import { ROTATION_DIGEST_QUEUE } from "@/server/keys/rotation-digest";
import { OPS_ALERTS_QUEUE, OPS_INTEGRITY_QUEUE } from "@/server/ops/ops-jobs";
import { ORG_PURGE_QUEUE } from "@/server/organizations/deletion";
import { PRECHECK_QUEUE } from "@/server/precheck/precheck-jobs";
import { db, expectDbError, makeOrg, rawSql, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, until, variableWithValue } from "./target-fixture";

const SECRET = "a-shared-secret-for-the-scheduled-scans-0123";

let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
/** never scanned, last scanned 20 min ago (interval 15, receiver down), scanned just now, inactive. */
const target: Record<"never" | "overdue" | "fresh" | "inactive", string> = {
  never: "",
  overdue: "",
  fresh: "",
  inactive: "",
};
let boss: PgBoss | undefined;

const addTarget = (name: string, location: string) =>
  addHttpTarget(org, { environmentId: org.env.staging, name, location, secret: SECRET });

const targetRow = async (id: string) => {
  const [row] = await withContext(org.owner, (tx) =>
    tx
      .select({
        lastScanAt: syncTargets.lastScanAt,
        status: syncTargets.lastTestStatus,
        message: syncTargets.lastTestMessage,
      })
      .from(syncTargets)
      .where(eq(syncTargets.id, id)),
  );
  return row;
};

beforeAll(async () => {
  org = await makeOrg();
  deployment = await loopbackDeployment(SECRET);
  await variableWithValue(org, org.env.staging, "DATABASE_URL", "postgres://app@db.staging:5432/app");
  await variableWithValue(org, org.env.staging, "FEATURE_FLAGS", "checkout,search");
  target.never = await addTarget("web-1", deployment.url);
  target.overdue = await addTarget("web-2", "http://127.0.0.1:9"); // nothing listens on the discard port
  target.fresh = await addTarget("web-3", deployment.url);
  target.inactive = await addTarget("web-4", deployment.url);
  const admin = rawSql("super");
  await admin`update sync_targets set last_scan_at = now() - interval '20 minutes' where id = ${target.overdue}`;
  await admin`update sync_targets set last_scan_at = now() where id = ${target.fresh}`;
  await admin`update sync_targets set is_active = false where id = ${target.inactive}`;
  await admin.end();
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await deployment?.close();
});

describe("job contexts", () => {
  it("give each organization one enabled owner, else an admin, and no organization without either", async () => {
    const withAdmin = await makeOrg(); // the owner becomes a developer: its admin is used
    const admin = await withAdmin.member("admin");
    const disabled = await makeOrg(); // its only owner is disabled: no job runs there
    await org.member("admin"); // an owner is preferred to an admin
    const s = rawSql("super");
    await s`update memberships set role = 'developer' where user_id = ${withAdmin.owner.userId}`;
    await s`update users set disabled_at = now() where id = ${disabled.owner.userId}`;
    await s.end();

    const contexts = await jobContexts(db());
    const of = (id: string) => contexts.filter((c) => c.organizationId === id).map((c) => c.userId);
    expect(of(org.id)).toEqual([org.owner.userId]);
    expect(of(withAdmin.id)).toEqual([admin.userId]);
    expect(of(disabled.id)).toEqual([]);
    expect(new Set(contexts.map((c) => c.organizationId)).size).toBe(contexts.length);
  });

  it("are listed only for the job runner (review finding 17): SQL as the app role learns nothing without its proof; memberships stay hidden, pg-boss's schema is not its own", async () => {
    const app = rawSql("app");
    try {
      await expectDbError(app`select * from job_contexts(${"guess"})`, /only the job runner/);
      await expectDbError(app`select * from job_contexts(${null})`, /only the job runner/);
      await expectDbError(app`select * from job_runner_keys`, /permission denied/);
      const rows = await app`select * from job_contexts(${jobRunnerProof(masterKey())})`;
      expect(rows.columns.map((c) => c.name)).toEqual(["organization_id", "user_id"]);
      expect(await app`select organization_id from memberships`).toEqual([]); // no context: no rows
      const [grants] = await app<{ public: boolean; owned: number }[]>`
        select has_function_privilege('public', 'job_contexts(text)', 'execute') as public,
               (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'pgboss' and pg_has_role(current_user, c.relowner, 'USAGE')) as owned`;
      expect(grants).toEqual({ public: false, owned: 0 });
      await expectDbError(app`create table pgboss.mine (id int)`, /permission denied/);
    } finally {
      await app.end();
    }
  });
});

describe("due scans", () => {
  it("are the never-scanned and overdue targets, not a freshly scanned or inactive one", async () => {
    expect((await dueScanTargets(org.owner)).sort()).toEqual([target.never, target.overdue].sort());
    const other = await makeOrg();
    expect(await dueScanTargets(other.owner)).toEqual([]); // RLS: another organization sees none of them
  });
});

describe("the drift-scan and scan-target jobs on pg-boss", () => {
  it("queue each due target once, scan it as the organization, and do not queue it again", async () => {
    const queue = createBoss(inject("databaseUrl"), { schedule: false, supervise: false });
    boss = queue;
    await queue.start();
    await defineJobs(queue);
    expect((await queue.getSchedules()).map((s) => [s.name, s.cron, s.timezone]).sort()).toEqual([
      [ROTATION_DIGEST_QUEUE, "0 7 * * 1", "UTC"],
      [QUEUES.driftScan, "* * * * *", "UTC"],
      [OPS_ALERTS_QUEUE, "* * * * *", "UTC"],
      [OPS_INTEGRITY_QUEUE, "0 3 * * *", "UTC"],
      [ORG_PURGE_QUEUE, "30 3 * * *", "UTC"],
      [QUEUES.purge, "0 */6 * * *", "UTC"],
      [PRECHECK_QUEUE, "*/15 * * * *", "UTC"],
    ]);

    const first = await enqueueDueScans(queue);
    expect(first.queued).toEqual(expect.arrayContaining([target.never, target.overdue]));
    expect(first.queued).not.toContain(target.fresh);
    const second = await enqueueDueScans(queue); // still queued: the singleton key makes it a no-op
    expect(second.queued).not.toContain(target.never);
    expect(await queue.findJobs(QUEUES.scanTarget, { key: target.never })).toHaveLength(1);

    await startWorkers(queue, { pollingIntervalSeconds: 0.5 });
    await until(async () => {
      const [done] = await queue.findJobs(QUEUES.scanTarget, { key: target.never });
      const [failed] = await queue.findJobs(QUEUES.scanTarget, { key: target.overdue });
      return done?.state === "completed" && failed?.state === "completed";
    });

    // The reachable target was scanned: nothing is deployed there yet, so both keys are missing.
    expect((await targetRow(target.never)).lastScanAt).not.toBeNull();
    const drift = await withContext(org.owner, (tx) =>
      tx
        .select({ type: configurationDrift.driftType, name: configurationDrift.variableName })
        .from(configurationDrift)
        .where(and(eq(configurationDrift.targetId, target.never), isNull(configurationDrift.resolvedAt)))
        .orderBy(configurationDrift.variableName),
    );
    expect(drift).toEqual([
      { type: "missing_variable", name: "DATABASE_URL" },
      { type: "missing_variable", name: "FEATURE_FLAGS" },
    ]);
    // The audit trail names the owner the job acted as, and the job.
    const [audit] = await withContext(org.owner, (tx) =>
      tx
        .select({ userId: environmentVariableAudit.userId, agent: environmentVariableAudit.userAgent })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.resourceId, target.never),
            eq(environmentVariableAudit.action, "read"),
          ),
        ),
    );
    expect(audit).toEqual({ userId: org.owner.userId, agent: "ringbearer job: scan-target" });
    // The unreachable one is recorded as a failed contact and waits its interval, like the scanned one.
    expect(await targetRow(target.overdue)).toMatchObject({ status: "failed" });
    const third = await enqueueDueScans(queue);
    expect(third.queued).not.toContain(target.never);
    expect(third.queued).not.toContain(target.overdue);
  });
});

describe("a scheduled scan that fails unexpectedly", () => {
  it("is recorded on the target, which then waits its interval instead of being queued every minute", async () => {
    const broken = await addTarget("web-5", deployment.url);
    const s = rawSql("super"); // another target's sealed secret: it does not open here (bound to its row)
    await s`update sync_targets set secret_sealed = (select secret_sealed from sync_targets where id = ${target.fresh})
             where id = ${broken}`;
    await s.end();
    await expect(scanTargetJob({ organizationId: org.id, targetId: broken })).rejects.toThrow(
      "The scan failed; the server log has the details",
    );
    const row = await targetRow(broken);
    expect(row).toMatchObject({
      status: "failed",
      message: "The scheduled scan failed; the server log has the details",
    });
    expect(row.lastScanAt).not.toBeNull();
    expect(await dueScanTargets(org.owner)).not.toContain(broken);
  });
});
