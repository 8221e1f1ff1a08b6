import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { integrationConfigs, integrationOauthConnections, integrationWebhookEvents } from "@/db/schema";

/** Inbound provider webhooks: whose endpoint it is, the event log, and what a deauthorization changes. */

/** The organization, environment and platform of a live, active webhook config (definer function, 0036). */
export async function inboundTarget(database: Database, configId: string) {
  const [row] = await database.execute<{ organization_id: string; environment_id: string; platform: string }>(
    sql`select organization_id, environment_id, platform from integration_inbound_target(${configId}::uuid)`,
  );
  return row;
}

export type InboundRow = typeof integrationWebhookEvents.$inferInsert;

/** Records a request; false when a verified event with this id was recorded before (a replay). */
export async function recordInbound(tx: Tx, row: InboundRow): Promise<boolean> {
  const inserted = await tx
    .insert(integrationWebhookEvents)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: integrationWebhookEvents.id });
  return inserted.length > 0;
}

/** A config's latest inbound events, newest first. */
export async function inboundLog(tx: Tx, configId: string, limit = 50) {
  return tx
    .select()
    .from(integrationWebhookEvents)
    .where(eq(integrationWebhookEvents.configId, configId))
    .orderBy(desc(integrationWebhookEvents.receivedAt))
    .limit(limit);
}

/**
 * The live OAuth configs of a platform in an environment with their active connection (for a provider's
 * deauthorization: the account it names, when it names one).
 */
export async function connectedConfigs(
  tx: Tx,
  organizationId: string,
  platform: string,
  environmentId: string,
) {
  return tx
    .select({
      configId: integrationConfigs.id,
      name: integrationConfigs.name,
      connectionId: integrationOauthConnections.id,
      stripeAccountId: integrationOauthConnections.stripeAccountId,
      hubspotPortalId: integrationOauthConnections.hubspotPortalId,
    })
    .from(integrationConfigs)
    .innerJoin(integrationOauthConnections, eq(integrationOauthConnections.configId, integrationConfigs.id))
    .where(
      and(
        eq(integrationConfigs.organizationId, organizationId),
        eq(integrationConfigs.platform, platform),
        eq(integrationConfigs.environmentId, environmentId),
        isNull(integrationConfigs.deletedAt),
        eq(integrationOauthConnections.isActive, true),
      ),
    );
}

/** Marks a connection revoked (by the provider, or by a person). */
export async function revokeConnection(tx: Tx, connectionId: string, by: string | null, reason: string) {
  await tx
    .update(integrationOauthConnections)
    .set({ isActive: false, revokedAt: sql`now()`, revokedBy: by, revokedReason: reason.slice(0, 300) })
    .where(eq(integrationOauthConnections.id, connectionId));
}

/** Sets a config's health at once (a provider told us; the next check confirms). */
export async function setHealth(tx: Tx, configId: string, status: string, message: string) {
  await tx
    .update(integrationConfigs)
    .set({ healthStatus: status, healthMessage: message.slice(0, 300), lastHealthCheck: sql`now()` })
    .where(eq(integrationConfigs.id, configId));
}
