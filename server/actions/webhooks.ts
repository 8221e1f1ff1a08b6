"use server";

import { z } from "zod";
import { webhookEndpointInput } from "@/lib/validation/webhooks";
import { orgAction, orgSteps } from "@/server/entry/action";
import { createEndpoint, rotateEndpointSecret, setEndpointActive } from "@/server/webhooks/endpoints";
import { replayNow, sendTestEvent } from "@/server/webhooks/send-now";

const manage = { call: "form", capability: "webhooks:manage", revalidate: "/webhooks" } as const;
const endpoint = z.object({ id: z.uuid() });

/** Adds an endpoint and returns its signing secret: the only time it leaves the server. */
export const createWebhookAction = orgAction({
  ...manage,
  input: webhookEndpointInput,
  run: async (tx, ctx, input) => ({ url: input.url, ...(await createEndpoint(tx, ctx, input)) }),
});

/** A new signing secret, returned once; the previous one signs beside it for a day. */
export const rotateWebhookSecretAction = orgAction({
  ...manage,
  input: endpoint,
  run: (tx, ctx, { id }) => rotateEndpointSecret(tx, ctx, id),
});

export const setWebhookActiveAction = orgAction({
  ...manage,
  input: endpoint.extend({ active: z.enum(["on", "off"]) }),
  run: (tx, ctx, { id, active }) => setEndpointActive(tx, ctx, id, active === "on"),
});

/** Sends a `webhook.test` event now; the delivery log shows the outcome. */
export const sendTestEventAction = orgSteps({
  ...manage,
  input: endpoint,
  run: (ctx, { id }) => sendTestEvent(ctx, id),
});

/** Sends a delivery's event again now (the same webhook-id), as a new delivery in the log. */
export const replayDeliveryAction = orgSteps({
  ...manage,
  input: z.object({ deliveryId: z.uuid() }),
  run: (ctx, { deliveryId }) => replayNow(ctx, deliveryId),
});
