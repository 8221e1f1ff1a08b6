import { type TenantContext, withContext } from "@/db/context";
import {
  claimDelivery,
  deferDelivery,
  endpointForUpdate,
  recordAttempt,
  setCircuit,
} from "@/db/repos/webhooks";
import { orgVault } from "@/db/vault";
import { guardedFetch, type Transport } from "@/lib/net/guarded-fetch";
import {
  afterAttempt,
  CIRCUIT,
  type Circuit,
  type CircuitState,
  circuitAllows,
  DELIVERY_TIMEOUT_MS,
  nextAttemptDelay,
  RETRY_SCHEDULE_SECONDS,
} from "@/lib/webhooks/events";
import { messageId, signedHeaders } from "@/lib/webhooks/signing";
import { outboundAllowlist } from "@/server/outbound";
import { secretAad } from "./endpoints";

/** How a delivery's attempt went: sent (delivered or not), put back while the circuit is open, or not due. */
export type AttemptOutcome =
  | {
      status: "delivered" | "pending" | "failed";
      attempt: number;
      statusCode: number | null;
      retryInSeconds: number | null;
    }
  | { status: "deferred"; retryInSeconds: number }
  | { status: "skipped" };

export type DeliveryOptions = {
  /** Seconds before each attempt (tests shorten it); RETRY_SCHEDULE_SECONDS by default. */
  schedule?: readonly number[];
  circuit?: { threshold: number; resetSeconds: number };
  transport?: Transport;
};

/** Longest a claimed attempt may take before another worker may take the delivery over. */
const LEASE_SECONDS = Math.ceil(DELIVERY_TIMEOUT_MS / 1000) + 45;

/**
 * One attempt at one delivery, in the organization's job context: claim it (if due and pending), ask the
 * endpoint's circuit, sign the event with every secret in force (Standard Webhooks), send it under the outbound
 * policy with a 15 s limit (only a 2xx counts), then record the attempt and move the circuit — all instances
 * see the same circuit. The body is the event; never a value.
 */
export async function attemptDelivery(
  ctx: TenantContext,
  deliveryId: string,
  options: DeliveryOptions = {},
): Promise<AttemptOutcome> {
  const schedule = options.schedule ?? RETRY_SCHEDULE_SECONDS;
  const rules = options.circuit ?? CIRCUIT;
  const plan = await withContext(ctx, async (tx): Promise<Plan | null> => {
    const claimed = await claimDelivery(tx, deliveryId, LEASE_SECONDS);
    if (!claimed) return null;
    const { delivery, event } = claimed;
    const endpoint = await endpointForUpdate(tx, delivery.endpointId);
    if (!endpoint?.isActive) {
      await recordAttempt(
        tx,
        {
          ...attemptRow(ctx, deliveryId, delivery.attempts + 1),
          error: "The endpoint is disabled",
          ok: false,
        },
        { status: "failed", retryInSeconds: null },
      );
      return {
        done: {
          status: "failed",
          attempt: delivery.attempts + 1,
          statusCode: null,
          retryInSeconds: null,
        },
      };
    }
    const now = new Date();
    const allowed = circuitAllows(circuitOf(endpoint), now, rules.resetSeconds);
    if (!allowed.ok) {
      await deferDelivery(tx, deliveryId, allowed.waitSeconds);
      return { done: { status: "deferred", retryInSeconds: allowed.waitSeconds } as const };
    }
    if (allowed.trial)
      await setCircuit(tx, endpoint.id, { ...circuitOf(endpoint), state: "half_open", openedAt: now });
    const vault = await orgVault(tx, ctx.organizationId);
    const aad = secretAad(ctx.organizationId, endpoint.id);
    const secrets = [
      vault.openSecret({ ciphertext: endpoint.secretSealed, keyId: endpoint.encryptionKeyId }, aad),
    ];
    if (endpoint.previousSecretSealed && endpoint.previousEncryptionKeyId && endpoint.previousSecretExpiresAt)
      if (endpoint.previousSecretExpiresAt > now)
        secrets.push(
          vault.openSecret(
            { ciphertext: endpoint.previousSecretSealed, keyId: endpoint.previousEncryptionKeyId },
            aad,
          ),
        );
    const body = JSON.stringify({
      type: event.eventType,
      timestamp: event.createdAt.toISOString(),
      data: event.data,
    });
    return {
      send: {
        url: endpoint.url,
        endpointId: endpoint.id,
        attempt: delivery.attempts + 1,
        secrets,
        body,
        eventId: event.id,
      },
    };
  });
  if (!plan) return { status: "skipped" };
  if ("done" in plan) return plan.done;

  const { url, endpointId, attempt, secrets, body, eventId } = plan.send;
  const sent = await send(options.transport ?? guardedFetch(outboundAllowlist()), url, {
    headers: signedHeaders(secrets, messageId(eventId), body, new Date()),
    body,
  });
  return withContext(ctx, async (tx) => {
    const endpoint = await endpointForUpdate(tx, endpointId);
    if (endpoint)
      await setCircuit(
        tx,
        endpointId,
        afterAttempt(circuitOf(endpoint), sent.ok, new Date(), rules.threshold),
      );
    const retryInSeconds = sent.ok ? null : nextAttemptDelay(attempt, schedule);
    const status = sent.ok ? "delivered" : retryInSeconds === null ? "failed" : "pending";
    await recordAttempt(
      tx,
      {
        ...attemptRow(ctx, deliveryId, attempt),
        statusCode: sent.statusCode,
        latencyMs: sent.ms,
        error: sent.error,
        ok: sent.ok,
      },
      { status, retryInSeconds },
    );
    return { status, attempt, statusCode: sent.statusCode, retryInSeconds };
  });
}

type Plan =
  | { done: AttemptOutcome }
  | {
      send: {
        url: string;
        endpointId: string;
        attempt: number;
        secrets: string[];
        body: string;
        eventId: string;
      };
    };

const circuitOf = (e: {
  circuitState: string;
  consecutiveFailures: number;
  circuitOpenedAt: Date | null;
}): Circuit => ({
  state: e.circuitState as CircuitState,
  consecutiveFailures: e.consecutiveFailures,
  openedAt: e.circuitOpenedAt,
});

const attemptRow = (ctx: TenantContext, deliveryId: string, attempt: number) => ({
  organizationId: ctx.organizationId,
  deliveryId,
  attempt,
  latencyMs: 0,
});

/** POSTs the event: a 2xx within the limit is a delivery; the answer's body is read and dropped, never stored. */
async function send(
  transport: Transport,
  url: string,
  request: { headers: Record<string, string>; body: string },
) {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const response = await transport(new URL(url), {
      method: "POST",
      headers: { ...request.headers, "user-agent": "Ringbearer-Webhooks/1" },
      body: request.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      redirect: "manual",
    });
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, ms: ms(), error: ok ? null : `Answered ${response.status}` };
  } catch (error) {
    const timedOut =
      (error as { name?: string }).name === "TimeoutError" || String(error).includes("timeout");
    return {
      ok: false,
      statusCode: null,
      ms: ms(),
      // The same words whatever refused the connection (the outbound policy tells no more).
      error: timedOut ? "No answer within 15 seconds" : "Could not connect to the endpoint",
    };
  }
}
