import { and, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { integrationConfigs, integrationHealthChecks, integrationOauthConnections } from "@/db/schema";

/** The health of integration configs: which are due a check, its outcome and history (server/integrations). */

/** The organization's active configs of these kinds whose next check is due (longest waiting first). */
export async function integrationsDueForCheck(tx: Tx, organizationId: string, kinds: string[], at?: Date) {
  const rows = await tx
    .select({ id: integrationConfigs.id })
    .from(integrationConfigs)
    .where(
      and(
        eq(integrationConfigs.organizationId, organizationId),
        eq(integrationConfigs.isActive, true),
        isNull(integrationConfigs.deletedAt),
        inArray(integrationConfigs.configType, kinds),
        lte(integrationConfigs.nextHealthCheck, at ?? sql`now()`),
      ),
    )
    .orderBy(integrationConfigs.nextHealthCheck);
  return rows.map((r) => r.id);
}

/** The active OAuth connection of a config, if any (QuickBooks names its company by the realm id). */
export async function activeConnection(tx: Tx, configId: string) {
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

export type HealthRecord = {
  organizationId: string;
  configId: string;
  status: string;
  message: string;
  latencyMs: number | null;
  httpStatus: number | null;
  circuit: { state: string; consecutiveFailures: number; openedAt: Date | null };
  nextCheckAt: Date;
  /** False when the circuit held the check back: the status stays, only the next check moves. */
  checked: boolean;
};

/** Stores a check's outcome on the config and in its history (not a configuration change: the version stays). */
export async function recordHealth(tx: Tx, r: HealthRecord) {
  await tx
    .update(integrationConfigs)
    .set({
      ...(r.checked
        ? {
            healthStatus: r.status,
            healthMessage: r.message,
            healthLatencyMs: r.latencyMs,
            lastHealthCheck: sql`now()`,
          }
        : {}),
      consecutiveFailures: r.circuit.consecutiveFailures,
      circuitState: r.circuit.state,
      circuitOpenedAt: r.circuit.openedAt,
      nextHealthCheck: r.nextCheckAt,
    })
    .where(eq(integrationConfigs.id, r.configId));
  if (r.checked)
    await tx.insert(integrationHealthChecks).values({
      organizationId: r.organizationId,
      configId: r.configId,
      status: r.status,
      latencyMs: r.latencyMs,
      httpStatus: r.httpStatus,
      message: r.message,
      circuitState: r.circuit.state,
    });
}

/** A config's latest checks, newest first. */
export async function healthHistory(tx: Tx, configId: string, limit = 50) {
  return tx
    .select()
    .from(integrationHealthChecks)
    .where(eq(integrationHealthChecks.configId, configId))
    .orderBy(desc(integrationHealthChecks.checkedAt))
    .limit(limit);
}
