import { z } from "zod";
import { ALERT_RULE_NAMES, type AlertRule } from "@/lib/ops/health";
import { INT4_MAX, requiredText } from "./fields";

/** Ending a stuck session from the operator console: its process id, how, and why (kept in the operations log). */
export const sessionSignalInput = z.object({
  pid: z.coerce
    .number({ error: "Not a session of this database" })
    .int("Not a session of this database")
    .min(1, "Not a session of this database")
    .max(INT4_MAX, "Not a session of this database"),
  how: z.enum(["cancel", "terminate"], { error: "Choose to cancel its statement or end the session" }),
  reason: requiredText(500, "A reason").pipe(z.string().min(10, "Say why, in at least 10 characters")),
});
export type SessionSignalInput = z.infer<typeof sessionSignalInput>;

/** Acknowledging an alert: its id. */
export const alertRef = z.object({ id: z.uuid({ error: "Not an alert of this installation" }) });

/** Running the integrity checks now: the form says so (an empty post runs nothing). */
export const integrityCheckInput = z.strictObject({
  confirm: z.literal("check", { error: "Press Check now to run the checks" }),
});

/** An alert rule's threshold, as an operator sets it (empty: back to the default). */
export const thresholdInput = z.object({
  rule: z.enum(ALERT_RULE_NAMES as [AlertRule, ...AlertRule[]], { error: "Not an alert rule" }),
  threshold: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : v),
    z.coerce
      .number({ error: "Enter a number, or leave it empty for the default" })
      .finite("Enter a number")
      .min(0, "At least 0")
      .max(1_000_000_000, "At most 1,000,000,000")
      .nullable(),
  ),
});
export type ThresholdInput = z.infer<typeof thresholdInput>;

/** Running the Saturday pre-check now (an organization's dashboard, or every organization from /ops). */
export const precheckRunInput = z.strictObject({
  confirm: z.literal("precheck", { error: "Press Run the pre-check to run it" }),
});

/** A limit as an operator types it: a whole number above 0, or empty for the installation's default. */
const limitField = z.preprocess(
  (v) => (v === "" || v === undefined || v === null ? null : v),
  z.coerce
    .number({ error: "Enter a whole number, or leave it empty for the default" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(1_000_000_000_000_000, "At most 10^15")
    .nullable(),
);

/** An organization's own limits (lib/usage-limits.ts); each empty one follows the installation's default. */
export const organizationLimitsInput = z.object({
  organizationId: z.uuid({ error: "Not an organization" }),
  variables: limitField,
  environments: limitField,
  members: limitField,
  service_tokens: limitField,
  api_requests_per_day: limitField,
  webhook_deliveries_per_day: limitField,
  storage_bytes: limitField,
});
export type OrganizationLimitsInput = z.infer<typeof organizationLimitsInput>;
