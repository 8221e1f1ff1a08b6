import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import type { CircuitState } from "@/lib/webhooks/events";

/** Change webhooks (issue 14): SQL only. Services decide (server/webhooks). */

export type EndpointInsert = typeof webhookEndpoints.$inferInsert;

export async function insertEndpoint(tx: Tx, values: EndpointInsert) {
  const [row] = await tx.insert(webhookEndpoints).values(values).returning({ id: webhookEndpoints.id });
  return row;
}

/** Sets an endpoint's sealed secret (its id is in the seal's AAD, so it is sealed after the row exists). */
export async function setEndpointSecret(
  tx: Tx,
  id: string,
  secret: { sealed: string; keyId: string },
  previous: { sealed: string; keyId: string; expiresAt: Date } | null,
) {
  await tx
    .update(webhookEndpoints)
    .set({
      secretSealed: secret.sealed,
      encryptionKeyId: secret.keyId,
      previousSecretSealed: previous?.sealed ?? null,
      previousEncryptionKeyId: previous?.keyId ?? null,
      previousSecretExpiresAt: previous?.expiresAt ?? null,
      updatedAt: new Date(),
    })
    .where(eq(webhookEndpoints.id, id));
}

/** Turns an endpoint on or off; turned on, its circuit starts closed. */
export async function updateEndpointActive(tx: Tx, id: string, active: boolean) {
  await tx
    .update(webhookEndpoints)
    .set({
      isActive: active,
      updatedAt: new Date(),
      ...(active ? { circuitState: "closed", consecutiveFailures: 0, circuitOpenedAt: null } : {}),
    })
    .where(eq(webhookEndpoints.id, id));
}

/** The organization's endpoints, newest first, with their circuit; never a secret. */
export async function listEndpoints(tx: Tx) {
  return tx
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      events: webhookEndpoints.events,
      environmentIds: webhookEndpoints.environmentIds,
      isActive: webhookEndpoints.isActive,
      circuitState: webhookEndpoints.circuitState,
      consecutiveFailures: webhookEndpoints.consecutiveFailures,
      circuitOpenedAt: webhookEndpoints.circuitOpenedAt,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** One endpoint with its sealed secrets, locked for this transaction (circuit changes go one at a time). */
export async function endpointForUpdate(tx: Tx, id: string) {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for("update");
  return row;
}

export async function setCircuit(
  tx: Tx,
  id: string,
  circuit: { state: CircuitState; consecutiveFailures: number; openedAt: Date | null },
) {
  await tx
    .update(webhookEndpoints)
    .set({
      circuitState: circuit.state,
      consecutiveFailures: circuit.consecutiveFailures,
      circuitOpenedAt: circuit.openedAt,
    })
    .where(eq(webhookEndpoints.id, id));
}

/** A new event of this organization (a test event; the triggers write the others). */
export async function insertEvent(tx: Tx, values: typeof webhookEvents.$inferInsert) {
  const [row] = await tx.insert(webhookEvents).values(values).returning({ id: webhookEvents.id });
  return row;
}

export async function insertDelivery(tx: Tx, values: typeof webhookDeliveries.$inferInsert) {
  const [row] = await tx.insert(webhookDeliveries).values(values).returning({ id: webhookDeliveries.id });
  return row;
}

/**
 * Claims a due, pending delivery for one attempt: its next attempt moves `leaseSeconds` ahead, so no other worker
 * takes it meanwhile (nor the sweep: a lease that lapses means the worker died). Undefined when not due or taken.
 */
export async function claimDelivery(tx: Tx, id: string, leaseSeconds: number) {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.status, "pending"),
        sql`${webhookDeliveries.nextAttemptAt} <= now()`,
      ),
    )
    .returning();
  if (!row) return undefined;
  const [event] = await tx.select().from(webhookEvents).where(eq(webhookEvents.id, row.eventId));
  return { delivery: row, event };
}

/** Puts a claimed delivery back to wait (an open circuit): not an attempt. */
export async function deferDelivery(tx: Tx, id: string, seconds: number) {
  await tx
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now() + make_interval(secs => ${seconds})`, queuedAt: null })
    .where(eq(webhookDeliveries.id, id));
}

/** Records one attempt: its log line, and the delivery's state after it. */
export async function recordAttempt(
  tx: Tx,
  attempt: typeof webhookAttempts.$inferInsert,
  after: { status: "pending" | "delivered" | "failed"; retryInSeconds: number | null },
) {
  await tx.insert(webhookAttempts).values(attempt);
  await tx
    .update(webhookDeliveries)
    .set({
      status: after.status,
      attempts: attempt.attempt,
      lastStatusCode: attempt.statusCode ?? null,
      lastLatencyMs: attempt.latencyMs,
      lastError: attempt.error ?? null,
      queuedAt: null,
      ...(after.retryInSeconds !== null
        ? { nextAttemptAt: sql`now() + make_interval(secs => ${after.retryInSeconds})` }
        : {}),
      ...(after.status === "delivered" ? { deliveredAt: new Date() } : {}),
    })
    .where(eq(webhookDeliveries.id, attempt.deliveryId));
}

/**
 * Pending deliveries of the organization without a job for their next attempt — new ones, and those whose job was
 * lost (due over two minutes ago and still pending) — marked as queued. For the job runner to send jobs for.
 */
export async function takeUnqueuedDeliveries(tx: Tx, limit = 500) {
  const due = tx
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        or(
          isNull(webhookDeliveries.queuedAt),
          lt(webhookDeliveries.nextAttemptAt, sql`now() - interval '2 minutes'`),
        ),
      ),
    )
    .limit(limit)
    .for("update", { skipLocked: true });
  return tx
    .update(webhookDeliveries)
    .set({ queuedAt: sql`now()` })
    .where(sql`${webhookDeliveries.id} in ${due}`)
    .returning({
      id: webhookDeliveries.id,
      inSeconds: sql<number>`greatest(0, extract(epoch from ${webhookDeliveries.nextAttemptAt} - now()))::float8`,
    });
}

/** The endpoint's deliveries, newest first, with their event (the delivery log). */
export async function deliveriesOf(tx: Tx, endpointId: string, limit = 50) {
  return tx
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: webhookEvents.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastLatencyMs: webhookDeliveries.lastLatencyMs,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      replayOf: webhookDeliveries.replayOf,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
}

/** One delivery of the organization (its endpoint and event), or undefined. */
export async function deliveryById(tx: Tx, id: string) {
  const [row] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row;
}

/** The Webhooks page: the endpoints, each with its latest deliveries (a page's read; shares its transaction). */
export async function webhooksPage(ctx: TenantContext, perEndpoint = 20) {
  return withContext(ctx, async (tx) => {
    const endpoints = await listEndpoints(tx);
    const deliveries = await Promise.all(endpoints.map((e) => deliveriesOf(tx, e.id, perEndpoint)));
    return endpoints.map((e, i) => ({ ...e, deliveries: deliveries[i] }));
  });
}

/** Deletes the current organization's webhook events past `keepDays` whose deliveries are final; how many. */
export async function purgeWebhookLog(tx: Tx, keepDays: number): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`select purge_webhook_log(${keepDays}) as n`);
  return Number(row.n);
}
