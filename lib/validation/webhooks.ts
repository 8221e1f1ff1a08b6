import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/events";
import { optionalText, safeString } from "./fields";

const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v);

/** A list from JSON (an array) or from a form (repeated fields, or one field). */
const listed = (v: unknown) => (typeof v === "string" ? [v] : (v ?? []));

/**
 * A new webhook endpoint: its URL (https; plain http only to a host the operator opened in
 * RINGBEARER_OUTBOUND_ALLOW, checked by the service), the events it receives and, optionally, the environments
 * (by name) whose events it receives — none chosen: all.
 */
export const webhookEndpointInput = z.object({
  url: z.preprocess(
    trimmed,
    safeString(2000, "Enter the endpoint's URL")
      .min(1, "Enter the endpoint's URL")
      .refine((u) => !/^https?:\/\/[^/]*@/.test(u), {
        error: "Leave credentials out of the URL: the signature authenticates the console",
      })
      .refine((u) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u), {
        error: "Enter the endpoint's https URL, e.g. https://hooks.example.com/ringbearer",
      }),
  ),
  description: optionalText(200),
  events: z.preprocess(
    listed,
    z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Choose events from the list" }), {
        error: "Choose at least one event",
      })
      .min(1, "Choose at least one event"),
  ),
  environments: z
    .preprocess(listed, z.array(safeString(64)).max(50, "Choose at most 50 environments"))
    .default([]),
});
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInput>;
