import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { integrationOauthConnections, integrationOauthStates } from "@/db/schema";

/** OAuth attempts and grants of integration configs (server/integrations/oauth.ts decides). */

export async function insertOauthState(tx: Tx, values: typeof integrationOauthStates.$inferInsert) {
  await tx.insert(integrationOauthStates).values(values);
}

/** Takes an attempt once: the caller's own, unused and unexpired; marked used as it is read. */
export async function takeOauthState(tx: Tx, organizationId: string, userId: string, stateHash: string) {
  const [row] = await tx
    .update(integrationOauthStates)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(integrationOauthStates.organizationId, organizationId),
        eq(integrationOauthStates.stateHash, stateHash),
        eq(integrationOauthStates.createdBy, userId),
        isNull(integrationOauthStates.usedAt),
        gt(integrationOauthStates.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

/** The active grant of a config, if any. */
export async function activeGrant(tx: Tx, configId: string) {
  const [row] = await tx
    .select()
    .from(integrationOauthConnections)
    .where(
      and(eq(integrationOauthConnections.configId, configId), eq(integrationOauthConnections.isActive, true)),
    )
    .orderBy(desc(integrationOauthConnections.createdAt))
    .limit(1);
  return row;
}

export async function insertGrant(tx: Tx, values: typeof integrationOauthConnections.$inferInsert) {
  const [row] = await tx.insert(integrationOauthConnections).values(values).returning();
  return row;
}

/** After a refresh: when the new access token expires, and that it was refreshed now. */
export async function markRefreshed(tx: Tx, id: string, accessExpiresAt: Date | null) {
  await tx
    .update(integrationOauthConnections)
    .set({ accessExpiresAt, refreshedAt: sql`now()` })
    .where(eq(integrationOauthConnections.id, id));
}

/** A config's latest grant, active or ended (the page shows what it was and why it ended). */
export async function latestGrant(tx: Tx, configId: string) {
  const [row] = await tx
    .select()
    .from(integrationOauthConnections)
    .where(eq(integrationOauthConnections.configId, configId))
    .orderBy(desc(integrationOauthConnections.createdAt))
    .limit(1);
  return row;
}
