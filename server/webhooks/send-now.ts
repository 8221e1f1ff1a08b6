import { type TenantContext, withContext } from "@/db/context";
import { attemptDelivery } from "./delivery";
import { queueReplay, queueTestEvent } from "./endpoints";

/**
 * "Send test event" and "Replay" from the console: the delivery is written (and committed), then attempted at
 * once, so the log shows how it went; a failure is retried on the schedule like any other delivery.
 */
export async function sendTestEvent(ctx: TenantContext, endpointId: string) {
  const delivery = await withContext(ctx, (tx) => queueTestEvent(tx, ctx, endpointId));
  return attemptDelivery(ctx, delivery.id);
}

export async function replayNow(ctx: TenantContext, deliveryId: string) {
  const delivery = await withContext(ctx, (tx) => queueReplay(tx, ctx, deliveryId));
  return attemptDelivery(ctx, delivery.id);
}
