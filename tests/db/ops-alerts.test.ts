/**
 * System alerts (issue 17) on a real PostgreSQL: each rule is raised by its planted condition — a session idle in
 * its transaction, a long statement, a failed and an overdue job, or a threshold the database's own figures
 * cross — seen once however often the job runs, and cleared when the condition ends, kept as history. Only the
 * job runner records alerts; only operators read and acknowledge them, named in the alert and the log.
 */
import { randomBytes } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { describe, expect, inject, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createBoss } from "@/server/job-boss";
import { acknowledgeAlert, alertsOverview, evaluateAlerts, setAlertThreshold } from "@/server/ops/alerts";
import { opsFixture } from "./ops-fixture";
import { expectDbError, rawSql } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const fx = opsFixture();
const { su, threshold, resetThresholds, open } = fx;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("alert rules", () => {
  it("raise a session idle in its transaction once, however often they run, and clear it when it ends", async () => {
    await threshold("idle_in_transaction", 1);
    const idle = rawSql("app");
    try {
      await idle.unsafe("begin");
      const [{ pid }] = await idle<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await pause(1_300);
      expect((await evaluateAlerts()).raised).toBeGreaterThanOrEqual(1);
      await evaluateAlerts();
      expect((await open()).filter((a) => a === `idle_in_transaction:${pid}`)).toHaveLength(1);
      await idle.unsafe("rollback");
      await evaluateAlerts();
      expect(await open()).not.toContain(`idle_in_transaction:${pid}`);
      const { history } = await alertsOverview({ userId: fx.operator.userId });
      expect(history.find((a) => a.subject === String(pid))?.message).toMatch(/idle in its transaction/);
    } finally {
      await idle.end({ timeout: 1 });
    }
  });

  it("raise a statement running past its threshold, and clear it once it is cancelled", async () => {
    await threshold("long_running", 1);
    const busy = rawSql("app");
    try {
      const [{ pid }] = await busy<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const sleeping = busy`select pg_sleep(30)`.catch(() => "cancelled");
      await pause(1_300);
      await evaluateAlerts();
      expect(await open()).toContain(`long_running:${pid}`);
      await su`select pg_cancel_backend(${pid})`;
      expect(await sleeping).toBe("cancelled");
      await evaluateAlerts();
      expect(await open()).not.toContain(`long_running:${pid}`);
    } finally {
      await busy.end({ timeout: 1 });
    }
  });

  it("raise the database-wide rules when their thresholds are crossed, and clear them when they are not", async () => {
    // Enough buffer reads for the hit ratio to count (it is ignored under 10,000).
    await su`select sum((select count(*) from pg_attribute where attnum > g % 3)) from generate_series(1, 300) g`;
    await pause(1_100);
    await threshold("connections", 0);
    await threshold("xid_age", 0);
    await threshold("cache_hit", 1.01);
    await evaluateAlerts();
    expect(await open()).toEqual(expect.arrayContaining(["connections:", "xid_age:", "cache_hit:"]));
    await resetThresholds();
    await evaluateAlerts();
    const left = await open();
    for (const rule of ["connections:", "xid_age:", "cache_hit:"]) expect(left).not.toContain(rule);
  });

  it("raise a failed job and one waiting past its time, by queue, and clear them when they are gone", async () => {
    const queue = `ops-test-${randomBytes(3).toString("hex")}`;
    const boss: PgBoss = createBoss(inject("databaseUrl"), { schedule: false, supervise: false });
    boss.on("error", () => {});
    await boss.start();
    try {
      await boss.createQueue(queue, { retryLimit: 0 });
      const failing = await boss.send(queue, { n: 1 });
      const [job] = await boss.fetch(queue);
      expect(job.id).toBe(failing);
      await boss.fail(queue, job.id, { message: "planted" });
      await boss.send(queue, { n: 2 });
      await threshold("jobs_overdue", 0);
      await pause(1_100);
      await evaluateAlerts();
      expect(await open()).toEqual(expect.arrayContaining([`jobs_failed:${queue}`, `jobs_overdue:${queue}`]));
      await boss.deleteQueue(queue);
      await evaluateAlerts();
      expect((await open()).filter((a) => a.endsWith(queue))).toEqual([]);
    } finally {
      await resetThresholds();
      await boss.stop({ graceful: false });
    }
  });
});

describe("who records, reads and acknowledges alerts", () => {
  it("lets only the job runner record them, and no app connection write them", async () => {
    const app = rawSql("app");
    try {
      await expectDbError(
        app`select * from ops_record_alerts('not the proof', '{connections}', '[{"rule":"connections","subject":"","severity":"critical","message":"forged"}]')`,
        /only the job runner records alerts/,
      );
      await expectDbError(
        app.begin(async (t) => {
          await t`select set_config('app.user_id', ${fx.operator.userId}, true)`;
          await t`insert into ops_alerts (rule, severity, message) values ('connections', 'critical', 'forged')`;
        }),
        /permission denied/,
      );
      await expectDbError(
        app.begin(async (t) => {
          await t`select set_config('app.user_id', ${fx.operator.userId}, true)`;
          await t`update ops_alerts set message = 'rewritten'`;
        }),
        /permission denied/,
      );
    } finally {
      await app.end();
    }
  });

  it("shows them to operators only, and records who acknowledged one", async () => {
    await threshold("xid_age", 0);
    await evaluateAlerts();
    try {
      await expect(alertsOverview(fx.org.owner)).rejects.toSatisfy(isCode("forbidden"));
      const [alert] = (await alertsOverview({ userId: fx.operator.userId })).open.filter(
        (a) => a.rule === "xid_age",
      );
      await expect(acknowledgeAlert(fx.org.owner, { id: alert.id })).rejects.toSatisfy(isCode("forbidden"));
      await acknowledgeAlert({ userId: fx.operator.userId }, { id: alert.id });
      const [after] = (await alertsOverview({ userId: fx.operator.userId })).open.filter(
        (a) => a.rule === "xid_age",
      );
      expect(after).toMatchObject({ acknowledgedBy: fx.operator.email.toLowerCase() });
      expect(after.acknowledgedAt).toBeInstanceOf(Date);
      await expect(acknowledgeAlert({ userId: fx.operator.userId }, { id: alert.id })).rejects.toSatisfy(
        isCode("not_found"),
      );
      const [logged] = await su<{ actor: string }[]>`
        select actor from ops_events where action = 'alert.acknowledge' and subject = 'xid_age:'`;
      expect(logged.actor).toBe(fx.operator.email.toLowerCase());

      // Thresholds: operators set them (logged) and put them back; nobody else.
      await expect(
        setAlertThreshold(fx.org.owner, { rule: "connections", threshold: 0.5 }),
      ).rejects.toSatisfy(isCode("forbidden"));
      const rule = async () =>
        (await alertsOverview({ userId: fx.operator.userId })).rules.find((r) => r.rule === "connections");
      await setAlertThreshold({ userId: fx.operator.userId }, { rule: "connections", threshold: 0.5 });
      expect(await rule()).toMatchObject({ threshold: 0.5, changed: true });
      await setAlertThreshold({ userId: fx.operator.userId }, { rule: "connections", threshold: null });
      expect(await rule()).toMatchObject({ threshold: 0.8, changed: false });
      const set = await su<{ actor: string }[]>`
        select actor from ops_events where action = 'alert.threshold' and subject = 'connections'`;
      expect(set).toHaveLength(2);
    } finally {
      await resetThresholds();
      await evaluateAlerts();
    }
  });
});
