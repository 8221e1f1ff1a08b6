/**
 * System alerts leave the console (issue 17): each raising and each clearing is taken once, whoever recorded it,
 * queued on pg-boss and POSTed to the installation's operations webhook signed as Standard Webhooks (checked by a
 * real receiver with the `standardwebhooks` package), retried under the same webhook-id when refused; without an
 * endpoint they are taken all the same (no backlog later). Open /ops pages hear of every change at once
 * (LISTEN ringbearer_changes, no organization's).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { jobRunnerProofNow } from "@/db/job-contexts";
import { recordAlerts } from "@/db/repos/ops-alerts";
import { createBoss } from "@/server/job-boss";
import {
  defineOpsWebhook,
  OPS_WEBHOOK_QUEUE,
  type OpsWebhookJob,
  queueAlertWebhooks,
  sendAlertWebhook,
} from "@/server/ops/alert-webhook";
import { db, dbMessage, rawSql } from "./support";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const rule = `test_hook_${randomBytes(3).toString("hex")}`;
type Received = { id: string; verified: unknown; type: string };
const received: Received[] = [];
let answer = 204;
let server: http.Server;
let env: Record<string, string>;
let boss: PgBoss;

const raise = (message: string) =>
  recordAlerts(db(), jobRunnerProofNow(), [rule], [{ rule, subject: "", severity: "critical", message }]);
const clear = () => recordAlerts(db(), jobRunnerProofNow(), [rule], []);
/** What was queued for this file's rule, as the worker would get it. */
async function queued(): Promise<OpsWebhookJob[]> {
  const jobs = (await boss.fetch<OpsWebhookJob>(OPS_WEBHOOK_QUEUE, { batchSize: 100 })) ?? [];
  for (const j of jobs) await boss.complete(OPS_WEBHOOK_QUEUE, j.id);
  return jobs.map((j) => j.data).filter((d) => d.data.rule === rule);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let verified: unknown = null;
      try {
        verified = new Webhook(secret).verify(body, headers);
      } catch {}
      received.push({ id: headers["webhook-id"], verified, type: JSON.parse(body).type });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  env = {
    RINGBEARER_OPS_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    RINGBEARER_OPS_WEBHOOK_SECRET: secret,
  };
  boss = createBoss(inject("databaseUrl"), { schedule: false, supervise: false });
  boss.on("error", () => {});
  await boss.start();
  await defineOpsWebhook(boss, 30);
});

afterAll(async () => {
  await boss.stop({ graceful: false });
  await new Promise((r) => server.close(r));
});

describe("the operations webhook", () => {
  it("sends a raised alert once, signed, and its clearing after, each under its own id", async () => {
    await raise("Connections at 95 % of max_connections.");
    await queueAlertWebhooks(boss, db(), env);
    const [raised, ...more] = await queued();
    expect(more).toHaveLength(0);
    expect(raised).toMatchObject({ type: "alert.raised", data: { rule, severity: "critical" } });
    await sendAlertWebhook(raised, env);
    expect(received.at(-1)).toMatchObject({ type: "alert.raised", verified: { type: "alert.raised" } });
    // Seen again, not raised again: nothing new is taken.
    await raise("Connections at 96 % of max_connections.");
    await queueAlertWebhooks(boss, db(), env);
    expect(await queued()).toHaveLength(0);
    await clear();
    await queueAlertWebhooks(boss, db(), env);
    const [cleared] = await queued();
    expect(cleared).toMatchObject({ type: "alert.cleared", data: { alert: raised.data.alert } });
    expect(cleared.id).not.toBe(raised.id);
  });

  it("throws when the endpoint refuses (pg-boss retries), under the same webhook-id each attempt", async () => {
    await raise("Cache hit ratio 91 %.");
    await queueAlertWebhooks(boss, db(), env);
    const [job] = await queued();
    answer = 503;
    await expect(sendAlertWebhook(job, env)).rejects.toThrow(/answered 503/);
    answer = 200;
    await sendAlertWebhook(job, env);
    const attempts = received.filter((r) => r.type === "alert.raised").slice(-2);
    expect(attempts[0].id).toBe(attempts[1].id);
    expect(attempts[1].verified).not.toBeNull();
    await clear();
    await queueAlertWebhooks(boss, db(), env);
    await queued();
  });

  it("takes changes without an endpoint too, so configuring one later sends no backlog", async () => {
    await raise("Disk grew 40 % in a day.");
    expect(await queueAlertWebhooks(boss, db(), {})).toBe(0);
    await queueAlertWebhooks(boss, db(), env);
    expect(await queued()).toHaveLength(0);
    await clear();
    await queueAlertWebhooks(boss, db(), {});
  });

  it("is taken by the job runner only", async () => {
    const app = rawSql("app");
    try {
      const refused = await app`select * from ops_take_alert_changes('not the proof')`.catch((e) => e);
      expect(dbMessage(refused)).toMatch(/only the job runner/);
    } finally {
      await app.end();
    }
  });

  it("tells open /ops pages at once, as the installation's event", async () => {
    const listener = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    const heard: unknown[] = [];
    try {
      await listener.listen("ringbearer_changes", (p) => heard.push(JSON.parse(p)));
      await raise("Transaction id wraparound at 60 %.");
      await clear();
      await queueAlertWebhooks(boss, db(), {});
      await expect
        .poll(() => heard, { timeout: 5_000 })
        .toContainEqual({
          org: "installation",
          kind: "ops_alerts",
          count: 1,
        });
    } finally {
      await listener.end();
    }
  });
});
