/**
 * Background jobs when things go wrong (issue 12, finding 7): a job whose worker lost its database does not
 * hold its exclusive queue for minutes, a 1-minute scan interval runs every minute, a failed job stores a code
 * and a message (no SQL, no stack, no parameters), and pg-boss's own errors are logged with their message.
 */
import { Writable } from "node:stream";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { masterKey } from "@/db/vault";
import { jobRunnerProof } from "@/lib/crypto";
import { dueScanTargets } from "@/server/drift/scheduled-scans";
import { createBoss } from "@/server/job-boss";
import { watchQueue } from "@/server/job-errors";
import { defineJobs, QUEUES, startWorkers } from "@/server/jobs";
import { createLogger } from "@/server/log";
import { makeOrg, rawSql, type TestOrg } from "./support";
import { addHttpTarget } from "./target-fixture";

let org: TestOrg;
const bosses: PgBoss[] = [];
const boss = async (options: Parameters<typeof createBoss>[1] = {}) => {
  const b = createBoss(inject("databaseUrl"), { schedule: false, ...options });
  bosses.push(b);
  b.on("error", () => {}); // the tests below read what matters from the database or their own logger
  await b.start();
  return b;
};

async function poll<T>(what: string, ms: number, check: () => Promise<T | null | undefined | false>) {
  const started = performance.now();
  for (;;) {
    const found = await check();
    if (found) return { found, ms: performance.now() - started };
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  org = await makeOrg();
});

afterAll(async () => {
  for (const b of bosses) await b.stop({ graceful: false }).catch(() => {});
});

describe("a job whose worker lost its database connection", () => {
  it("does not hold the exclusive drift-scan queue beyond 30 s: it is failed and the next run is queued", async () => {
    const queue = await boss();
    await defineJobs(queue);
    // As a queue made by an earlier version: no heartbeat. Starting the jobs again gives it one.
    const s = rawSql("super");
    await s`update pgboss.queue set heartbeat_seconds = null, expire_seconds = 300`;
    await defineJobs(queue);
    expect(await queue.getQueue(QUEUES.driftScan)).toMatchObject({ heartbeatSeconds: 15 });
    const first = await queue.send(QUEUES.driftScan, {});
    expect(first).toBeTruthy();
    // Another server took the job, then its database connection dropped: it never records the outcome.
    const lost = await boss({ supervise: false, application_name: "ringbearer-jobs-lost" });
    const [taken] = await lost.fetch(QUEUES.driftScan);
    expect(taken?.id).toBe(first);
    await s`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ringbearer-jobs-lost'`;
    await s.end();
    await lost.stop({ graceful: false, close: true }).catch(() => {});
    expect(await queue.send(QUEUES.driftScan, {})).toBeNull(); // exclusive: held by the lost job

    const { ms } = await poll("the next drift-scan is queued", 45_000, () =>
      queue.send(QUEUES.driftScan, {}),
    );
    console.log(`[jobs] a lost drift-scan job freed its queue after ${(ms / 1000).toFixed(1)} s`);
    expect(ms).toBeLessThan(30_000);
    const stale = await queue.getJobById(QUEUES.driftScan, first as string);
    expect(stale?.state).toBe("failed");
  }, 60_000);
});

describe("the scan schedule", () => {
  it("runs a 1-minute interval at every minute's drift-scan, wherever in the minute the runs fall; 15 minutes in the 15th", async () => {
    const everyMinute = await addHttpTarget(org, {
      environmentId: org.env.staging,
      name: "every-minute",
      location: "http://127.0.0.1:9",
      secret: "a-shared-secret-for-the-schedule-test-0123",
    });
    const quarterly = await addHttpTarget(org, {
      environmentId: org.env.staging,
      name: "every-15-minutes",
      location: "http://127.0.0.1:9",
      secret: "a-shared-secret-for-the-schedule-test-0123",
    });
    const s = rawSql("super");
    // Both scanned by the 10:00 run, which pg-boss started 35 s into the minute; the scan ended at 10:00:40.
    await s`update sync_targets set scan_interval_minutes = 1, last_scan_at = '2026-12-05T10:00:40Z' where id = ${everyMinute}`;
    await s`update sync_targets set scan_interval_minutes = 15, last_scan_at = '2026-12-05T10:00:40Z' where id = ${quarterly}`;
    await s.end();
    const due = async (at: string) => {
      const ids = await dueScanTargets(org.owner, undefined, new Date(at));
      return [everyMinute, quarterly].filter((id) => ids.includes(id));
    };
    expect(await due("2026-12-05T10:00:59Z")).toEqual([]); // the same minute: scanned already
    expect(await due("2026-12-05T10:01:05Z")).toEqual([everyMinute]); // the next minute's run, 25 s later
    expect(await due("2026-12-05T10:01:58Z")).toEqual([everyMinute]);
    expect(await due("2026-12-05T10:14:59Z")).toEqual([everyMinute]);
    expect(await due("2026-12-05T10:15:02Z")).toEqual([everyMinute, quarterly]);
  });
});

describe("a failed job", () => {
  it("stores a code and a message: no SQL, no stack, no query parameters", async () => {
    const target = await addHttpTarget(org, {
      environmentId: org.env.staging,
      name: "failing-job",
      location: "http://127.0.0.1:9",
      secret: "a-shared-secret-for-the-failing-job-test-01",
    });
    const s = rawSql("super");
    const [{ verifier }] = await s<{ verifier: string }[]>`select verifier from job_runner_keys`;
    // The job runner cannot prove itself (as after a migration with another key): job_contexts() refuses.
    await s`update job_runner_keys set verifier = ${"0".repeat(64)}`;
    try {
      const queue = await boss();
      await defineJobs(queue);
      const id = await queue.send(QUEUES.scanTarget, { organizationId: org.id, targetId: target });
      await startWorkers(queue, { pollingIntervalSeconds: 0.5 });
      const { found: job } = await poll("the scan job fails", 20_000, async () => {
        const j = await queue.getJobById(QUEUES.scanTarget, id as string);
        return j?.state === "failed" ? j : null;
      });
      expect(job.output).toEqual({
        code: "internal",
        message: "The scan-target job failed; the server log has the details",
      });
      const stored = JSON.stringify(job.output);
      expect(stored).not.toMatch(/select|job_contexts|Failed query|params|stack|\bat /i);
      expect(stored).not.toContain(jobRunnerProof(masterKey()));
    } finally {
      await s`update job_runner_keys set verifier = ${verifier}`;
      await s.end();
    }
  });
});

describe("pg-boss's own errors", () => {
  it("are logged with their message, code and queue, never as [object Object]", async () => {
    const lines: string[] = [];
    const logger = createLogger(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(...chunk.toString().trim().split("\n"));
          done();
        },
      }),
    );
    const queue = createBoss(inject("databaseUrl"), {
      schedule: false,
      supervise: false,
      application_name: "ringbearer-jobs-logged",
    });
    bosses.push(queue);
    watchQueue(queue, logger);
    await queue.start();
    // A worker on a queue that does not exist: pg-boss emits { ...error, message, stack, queue }.
    await queue.work("no-such-queue", { pollingIntervalSeconds: 0.5 }, async () => {});
    // The database ends pg-boss's connections (as a restart does): its pool emits the driver's error.
    const s = rawSql("super");
    await s`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ringbearer-jobs-logged'`;
    await s.end();
    await poll("both errors are logged", 15_000, async () => {
      const text = lines.join("\n");
      return /no-such-queue/.test(text) && /57P01/.test(text);
    });
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "job queue error");
    expect(lines.join("\n")).not.toContain("[object Object]");
    expect(errors).toContainEqual(
      expect.objectContaining({
        error: expect.objectContaining({
          message: expect.stringMatching(/no-such-queue/),
          queue: "no-such-queue",
        }),
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        error: expect.objectContaining({
          message: expect.stringMatching(/terminating connection/),
          code: "57P01",
        }),
      }),
    );
    for (const e of errors) expect(JSON.stringify(e)).not.toMatch(/"stack"/);
  });
});
