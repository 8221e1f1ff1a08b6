import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import {
  deliveryById,
  endpointForUpdate,
  insertDelivery,
  insertEndpoint,
  insertEvent,
  setEndpointSecret,
  updateEndpointActive,
} from "@/db/repos/webhooks";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { hostOpened, literalHostRefusal } from "@/lib/net/outbound-policy";
import { webhookSecretAad } from "@/lib/sealed-aad";
import type { WebhookEndpointInput } from "@/lib/validation/webhooks";
import { TEST_EVENT_TYPE } from "@/lib/webhooks/events";
import { newWebhookSecret } from "@/lib/webhooks/signing";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { outboundAllowlist } from "@/server/outbound";

/** How long the previous secret still signs after a rotation. */
export const PREVIOUS_SECRET_HOURS = 24;

/** What an endpoint's secret is sealed to: its organization and itself. */
export const secretAad = webhookSecretAad;

/**
 * Adds an endpoint (webhooks:manage). Its `whsec_` secret is returned once, here; the database keeps it sealed.
 * https only, unless the operator opened the host (RINGBEARER_OUTBOUND_ALLOW); every connection also follows the
 * outbound policy at send time (public addresses only, pinned, no redirects). Audited, never the secret.
 */
export async function createEndpoint(tx: Tx, ctx: TenantContext, input: WebhookEndpointInput) {
  requireCapability(ctx, "webhooks:manage");
  const url = new URL(input.url);
  const allow = outboundAllowlist();
  const refusal = literalHostRefusal(url.hostname, allow);
  if (refusal)
    throw new AppError("validation", { url: [`The console may not reach this address (${refusal})`] });
  if (url.protocol !== "https:" && !hostOpened(url.hostname, allow))
    throw new AppError("validation", { url: ["Use https: webhooks carry the organization's events"] });
  const envs = await environmentRefs(tx, ctx);
  const unknown = input.environments.filter((n) => !envs.some((e) => e.name === n));
  if (unknown.length > 0)
    throw new AppError("validation", { environments: [`No environment is named ${unknown.join(", ")}`] });
  const environmentIds = envs.filter((e) => input.environments.includes(e.name)).map((e) => e.id);
  const vault = await orgVault(tx, ctx.organizationId);
  // The row first (its id is in the seal's AAD), with a placeholder sealed under the same key.
  const placeholder = vault.sealSecret("", "pending");
  const row = await insertEndpoint(tx, {
    organizationId: ctx.organizationId,
    url: url.toString(),
    description: input.description ?? "",
    events: [...new Set(input.events)],
    environmentIds,
    secretSealed: placeholder.ciphertext,
    encryptionKeyId: placeholder.keyId,
    createdBy: ctx.userId,
  });
  const secret = newWebhookSecret();
  const sealed = vault.sealSecret(secret, secretAad(ctx.organizationId, row.id));
  await setEndpointSecret(tx, row.id, { sealed: sealed.ciphertext, keyId: sealed.keyId }, null);
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "webhook",
    resourceId: row.id,
    details: { webhook: url.origin, events: input.events, environments: input.environments },
  });
  return { id: row.id, secret };
}

/**
 * A new secret for an endpoint; the previous one keeps signing beside it for PREVIOUS_SECRET_HOURS, so the
 * receiver can switch without losing a delivery. Returned once. Audited.
 */
export async function rotateEndpointSecret(tx: Tx, ctx: TenantContext, id: string) {
  requireCapability(ctx, "webhooks:manage");
  const endpoint = await endpointForUpdate(tx, id);
  if (!endpoint) throw new AppError("not_found");
  const vault = await orgVault(tx, ctx.organizationId);
  const secret = newWebhookSecret();
  const sealed = vault.sealSecret(secret, secretAad(ctx.organizationId, id));
  await setEndpointSecret(
    tx,
    id,
    { sealed: sealed.ciphertext, keyId: sealed.keyId },
    {
      sealed: endpoint.secretSealed,
      keyId: endpoint.encryptionKeyId,
      expiresAt: new Date(Date.now() + PREVIOUS_SECRET_HOURS * 3_600_000),
    },
  );
  await writeAudit(tx, ctx, {
    action: "rotate",
    resourceType: "webhook",
    resourceId: id,
    details: { webhook: new URL(endpoint.url).origin, previous_signs_for_hours: PREVIOUS_SECRET_HOURS },
  });
  return { secret };
}

/** A `webhook.test` event for one endpoint: a delivery to send now (the caller sends it). */
export async function queueTestEvent(tx: Tx, ctx: TenantContext, endpointId: string) {
  requireCapability(ctx, "webhooks:manage");
  const endpoint = await endpointForUpdate(tx, endpointId);
  if (!endpoint) throw new AppError("not_found");
  const event = await insertEvent(tx, {
    organizationId: ctx.organizationId,
    eventType: TEST_EVENT_TYPE,
    data: { message: "A test event from Ringbearer", endpoint: endpointId },
  });
  return insertDelivery(tx, { organizationId: ctx.organizationId, endpointId, eventId: event.id });
}

/** A replay: the same event (same `webhook-id`) to the same endpoint again, as a new delivery to send now. */
export async function queueReplay(tx: Tx, ctx: TenantContext, deliveryId: string) {
  requireCapability(ctx, "webhooks:manage");
  const original = await deliveryById(tx, deliveryId);
  if (!original) throw new AppError("not_found");
  const replay = await insertDelivery(tx, {
    organizationId: ctx.organizationId,
    endpointId: original.endpointId,
    eventId: original.eventId,
    replayOf: original.id,
  });
  await writeAudit(tx, ctx, {
    action: "sync",
    resourceType: "webhook",
    resourceId: original.endpointId,
    details: { webhook_replay: original.id, delivery: replay.id },
  });
  return replay;
}

/** Turns an endpoint off (no new deliveries; pending ones fail at their next attempt) or on again. Audited. */
export async function setEndpointActive(tx: Tx, ctx: TenantContext, id: string, active: boolean) {
  requireCapability(ctx, "webhooks:manage");
  const endpoint = await endpointForUpdate(tx, id);
  if (!endpoint) throw new AppError("not_found");
  if (endpoint.isActive === active) throw new AppError("conflict:no_change");
  await updateEndpointActive(tx, id, active);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "webhook",
    resourceId: id,
    details: { webhook: new URL(endpoint.url).origin, active },
  });
}
