import type { Database } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContexts } from "@/db/job-contexts";
import { purgeDeletedVariables } from "@/db/repos/variable-rows";
import { purgeWebhookLog } from "@/db/repos/webhooks";

/** Days of webhook events, deliveries and attempts kept unless RINGBEARER_WEBHOOK_RETENTION_DAYS says otherwise. */
export const DEFAULT_WEBHOOK_RETENTION_DAYS = 30;

/** The webhook log's retention in days (checked at start by server/env.ts). */
export const webhookRetentionDays = (env: Record<string, string | undefined> = process.env) =>
  Number(env.RINGBEARER_WEBHOOK_RETENTION_DAYS?.trim() || DEFAULT_WEBHOOK_RETENTION_DAYS);

/**
 * The purge job: for every organization, destroys the encrypted values and history of variables soft-deleted
 * more than 90 days ago (`purge_deleted_variables()`, audited), and the webhook log past its retention once its
 * deliveries are final (`purge_webhook_log()`). Each runs in the organization's job context (an owner, else an
 * admin: `job_contexts()`), so row-level security applies as for any request.
 */
export async function purgeAllOrganizations(
  database: Database,
  keepWebhookDays = webhookRetentionDays(),
): Promise<{ organizations: number; purged: number; webhookEvents: number }> {
  const contexts = await jobContexts(database);
  let purged = 0;
  let webhookEvents = 0;
  for (const ctx of contexts) {
    purged += await withContext(ctx, (tx) => purgeDeletedVariables(tx), database);
    webhookEvents += await withContext(ctx, (tx) => purgeWebhookLog(tx, keepWebhookDays), database);
  }
  return { organizations: contexts.length, purged, webhookEvents };
}
