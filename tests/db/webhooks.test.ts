import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { deliveriesOf, listEndpoints } from "@/db/repos/webhooks";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { createBoss } from "@/server/job-boss";
import { defineJobs, startWorkers } from "@/server/jobs";
import { setValue } from "@/server/values/values";
import { attemptDelivery, type DeliveryOptions } from "@/server/webhooks/delivery";
import { listenForDeliveries } from "@/server/webhooks/dispatch";
import {
  createEndpoint,
  queueReplay,
  queueTestEvent,
  rotateEndpointSecret,
} from "@/server/webhooks/endpoints";
import { makeOrg, type TestOrg } from "./support";
import { until, variableWithValue } from "./target-fixture";
import { startWebhookReceiver, verifies } from "./webhook-receiver";

/**
 * Change webhooks (issue 14): events written by the database with the change, signed per Standard Webhooks (checked
 * here by an independent implementation), retried on the schedule, held back by a circuit breaker kept in the
 * database, replayable from the log.
 */
let org: TestOrg;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const fast: DeliveryOptions = { schedule: [0, 0, 0], circuit: { threshold: 2, resetSeconds: 1 } };
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

const addEndpoint = (input: Record<string, unknown>, who: TenantContext = org.owner) =>
  withContext(who, (tx) =>
    createEndpoint(
      tx,
      who,
      webhookEndpointInput.parse({ url: receiver.url, events: ["value.changed"], ...input }),
    ),
  );

const pendingOf = (endpointId: string) =>
  withContext(org.owner, async (tx) =>
    (await deliveriesOf(tx, endpointId)).filter((d) => d.status === "pending").map((d) => d.id),
  );

async function changeValue(variable: { id: string; version: number }, environmentId: string, value: string) {
  const written = await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: variable.id,
      environmentId,
      value,
      expectedVersion: variable.version,
    }),
  );
  if (written.status !== "applied") throw new Error("expected the change to apply");
  variable.version = written.version;
}

beforeAll(async () => {
  org = await makeOrg();
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

describe("webhooks", () => {
  it("deliver a value change, signed, naming keys and never a value, only for the environments chosen", async () => {
    const { id, secret } = await addEndpoint({ environments: ["staging"], description: "deploy bot" });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const flags = await variableWithValue(org, org.env.staging, "HOOK_FLAGS", "checkout");
    const production = await variableWithValue(
      org,
      org.env.production,
      "HOOK_PROD_ONLY",
      "prod-secret-value",
    );
    await changeValue(flags, org.env.staging, "checkout,gifts");
    await changeValue(production, org.env.production, "prod-secret-rotated");

    const pending = await pendingOf(id);
    expect(pending).toHaveLength(2); // the first value, then its change: staging only
    for (const d of pending)
      expect(await attemptDelivery(org.owner, d, fast)).toMatchObject({ status: "delivered" });
    expect(receiver.received).toHaveLength(2);
    const last = receiver.received[1];
    expect(verifies(secret, last)).toBe(true);
    expect(verifies(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, last)).toBe(false);
    expect(Math.abs(last.timestamp - Date.now() / 1000)).toBeLessThan(30);
    expect(last.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(last.json).toMatchObject({
      type: "value.changed",
      data: { environment: "staging", operation: "set", keys: ["HOOK_FLAGS"], count: 1 },
    });
    const everything = receiver.received.map((r) => r.body).join("\n");
    expect(everything).not.toContain("checkout");
    expect(everything).not.toContain("prod-secret");
  });

  it("retry after a 500 on the schedule, each attempt in the log, and give up after the last", async () => {
    receiver.received.length = 0;
    const { id, secret } = await addEndpoint({ events: ["variable.created"] });
    await variableWithValue(org, org.env.development, "HOOK_RETRIED", "x");
    const [delivery] = await pendingOf(id);
    receiver.answer(500);
    expect(await attemptDelivery(org.owner, delivery, fast)).toMatchObject({
      status: "pending",
      attempt: 1,
      statusCode: 500,
      retryInSeconds: 0,
    });
    expect(await attemptDelivery(org.owner, delivery, fast)).toMatchObject({
      status: "delivered",
      attempt: 2,
    });
    expect(receiver.received.map((r) => r.id)).toEqual([receiver.received[0].id, receiver.received[0].id]);
    expect(receiver.received.every((r) => verifies(secret, r))).toBe(true);
    const log = await withContext(org.owner, (tx) =>
      tx
        .select({
          attempt: webhookAttempts.attempt,
          code: webhookAttempts.statusCode,
          ok: webhookAttempts.ok,
        })
        .from(webhookAttempts)
        .where(eq(webhookAttempts.deliveryId, delivery))
        .orderBy(webhookAttempts.attempt),
    );
    expect(log).toEqual([
      { attempt: 1, code: 500, ok: false },
      { attempt: 2, code: 200, ok: true },
    ]);
    // Three failures with a three-attempt schedule: failed for good, and not tried again.
    await variableWithValue(org, org.env.development, "HOOK_GIVEN_UP", "x");
    const [doomed] = await pendingOf(id);
    receiver.answer(500, 502, 503);
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        (await attemptDelivery(org.owner, doomed, { ...fast, circuit: { threshold: 9, resetSeconds: 1 } }))
          .status,
      );
    expect(outcomes).toEqual(["pending", "pending", "failed"]);
    expect(await attemptDelivery(org.owner, doomed, fast)).toEqual({ status: "skipped" });
  });

  it("open the circuit after the threshold, hold deliveries while open, and close it after a success in half-open", async () => {
    const { id } = await addEndpoint({ events: ["variable.created"] });
    const circuit = () =>
      withContext(org.owner, async (tx) => {
        const [e] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
        return { state: e.circuitState, failures: e.consecutiveFailures };
      });
    for (const name of ["HOOK_C1", "HOOK_C2", "HOOK_C3"])
      await variableWithValue(org, org.env.development, name, "x");
    const [a, b, c] = (await pendingOf(id)).reverse();
    receiver.answer(500, 500);
    await attemptDelivery(org.owner, a, fast);
    expect(await circuit()).toEqual({ state: "closed", failures: 1 });
    await attemptDelivery(org.owner, b, fast);
    expect(await circuit()).toEqual({ state: "open", failures: 2 });
    // While open: not attempted, put back until the reset interval has passed.
    const before = receiver.received.length;
    expect(await attemptDelivery(org.owner, c, fast)).toEqual({ status: "deferred", retryInSeconds: 1 });
    expect(receiver.received.length).toBe(before);
    await new Promise((r) => setTimeout(r, 1_100));
    // Half-open: one trial; it succeeds and the circuit closes.
    expect(await attemptDelivery(org.owner, c, fast)).toMatchObject({ status: "delivered" });
    expect(await circuit()).toEqual({ state: "closed", failures: 0 });
  });

  it("replay a delivery from the log with the same webhook-id, and sign with both secrets during a rotation", async () => {
    receiver.received.length = 0;
    const { id, secret } = await addEndpoint({ events: ["variable.created"] });
    await variableWithValue(org, org.env.development, "HOOK_REPLAYED", "x");
    const [original] = await pendingOf(id);
    await attemptDelivery(org.owner, original, fast);
    const { secret: next } = await withContext(org.owner, (tx) => rotateEndpointSecret(tx, org.owner, id));
    const replay = await withContext(org.owner, (tx) => queueReplay(tx, org.owner, original));
    expect(await attemptDelivery(org.owner, replay.id, fast)).toMatchObject({ status: "delivered" });
    const [first, again] = receiver.received;
    expect(again.id).toBe(first.id);
    expect(again.body).toBe(first.body);
    expect(again.signatures).toHaveLength(2);
    expect(verifies(next, again) && verifies(secret, again)).toBe(true);
    // A test event, on demand.
    const test = await withContext(org.owner, (tx) => queueTestEvent(tx, org.owner, id));
    expect(await attemptDelivery(org.owner, test.id, fast)).toMatchObject({ status: "delivered" });
    expect(receiver.received.at(-1)?.json.type).toBe("webhook.test");
  });

  it("are refused to a developer (in the service and in SQL), over plain http to a host not opened, and across organizations", async () => {
    const developer = await org.member("developer");
    await expect(addEndpoint({}, developer)).rejects.toSatisfy(isCode("forbidden"));
    const sqlSays = await withContext(developer, (tx) =>
      tx
        .update(webhookEndpoints)
        .set({ url: "https://attacker.example/" })
        .where(eq(webhookEndpoints.organizationId, org.id))
        .returning({ id: webhookEndpoints.id }),
    );
    expect(sqlSays).toEqual([]);
    // Nor does a developer see them: a URL may carry a secret of its own.
    expect(await withContext(developer, (tx) => listEndpoints(tx))).toEqual([]);
    const refused = await addEndpoint({ url: "http://hooks.example.com/ringbearer" }).catch((e) => e);
    expect(refused).toSatisfy(isCode("validation"));
    expect((refused as AppError).fieldErrors?.url).toEqual([
      "Use https: webhooks carry the organization's events",
    ]);

    const other = await makeOrg();
    const ours = await withContext(org.owner, (tx) =>
      tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries),
    );
    expect(ours.length).toBeGreaterThan(0);
    expect(await withContext(other.owner, (tx) => listEndpoints(tx))).toEqual([]);
    await expect(
      withContext(other.owner, (tx) => queueReplay(tx, other.owner, ours[0].id)),
    ).rejects.toSatisfy(isCode("not_found"));
    expect(await attemptDelivery(other.owner, ours[0].id, fast)).toEqual({ status: "skipped" });
  });

  it("are sent by the job runner on their own: the event wakes it, and a 500 is tried again 5 s later", async () => {
    const queue = createBoss(inject("databaseUrl"), { schedule: false, supervise: false });
    await queue.start();
    await defineJobs(queue);
    await startWorkers(queue, { pollingIntervalSeconds: 0.5 });
    const stopListening = await listenForDeliveries(queue, inject("databaseUrl"));
    // A receiver of its own: the endpoints of the tests above hear this event too.
    const own = await startWebhookReceiver();
    try {
      const { id } = await addEndpoint({ url: own.url, events: ["variable.created"] });
      own.answer(500);
      await variableWithValue(org, org.env.development, "HOOK_BY_THE_QUEUE", "x");
      const delivered = async () =>
        withContext(org.owner, async (tx) => (await deliveriesOf(tx, id))[0]?.status === "delivered");
      await until(delivered, 20_000);
      const [row] = await withContext(org.owner, (tx) => deliveriesOf(tx, id));
      expect(row).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
      expect(own.received.map((r) => r.json.type)).toEqual(["variable.created", "variable.created"]);
      const gap = own.received[1].timestamp - own.received[0].timestamp;
      expect(gap).toBeGreaterThanOrEqual(4);
    } finally {
      await own.close();
      await stopListening();
      await queue.stop({ graceful: false });
    }
  });
});
