import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { liveDestination } from "@/db/repos/destinations";
import { DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { configRiskIn } from "@/lib/integrations/risk";
import {
  type Approval,
  approvedBy,
  approvedChange,
  type Deferred,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { refuseLocked } from "@/server/connectors/config-changes";
import { destinationFor, save } from "./destination-rows";

/**
 * Deletes a destination (soft: it can be restored). CRITICAL on a production-tier environment: it waits for a
 * reviewer (a reason of at least the minimum length) and is replayed here on approval; the database refuses it
 * otherwise. Refused in a locked environment during wedding hours. Its variables and values stay.
 */
export async function deleteDestination(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; version: number; reason?: string },
  options: { approval?: Approval } = {},
): Promise<{ status: "applied"; id: string } | Deferred> {
  const approved = await approvedChange(tx, ctx, options.approval, "destination:delete", input.id);
  const { row, env, tier } = await destinationFor(tx, ctx, input.id, approved);
  if (row.deletedAt) throw new AppError("not_found");
  if (row.version !== input.version)
    throw new AppError("conflict:version", undefined, { version: row.version });
  await refuseLocked(tx, ctx, env, "Destinations");
  const risk = configRiskIn(tier, { kind: "delete" });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "destination:delete",
      payload: { id: row.id, version: row.version },
      summary: `Delete the ${DESTINATIONS[row.type as DestinationType].label} destination ${row.name} (${env.name})`,
      risk,
      reason: input.reason,
      resourceId: row.id,
    });
  await save(
    tx,
    ctx,
    row,
    env,
    input.version,
    { deletedAt: new Date(), deletedBy: ctx.userId },
    {
      action: "delete",
      risk,
      details: { ...(input.reason ? { reason: input.reason } : {}), ...approvedBy(options.approval) },
    },
  );
  return { status: "applied", id: row.id };
}

/**
 * Restores a deleted destination as it was (disabled, its connection unknown until tested again). Refused with
 * a clear message while a live destination of its type is in its environment (seed 003), and in a locked
 * environment during wedding hours.
 */
export async function restoreDestination(tx: Tx, ctx: TenantContext, input: { id: string }) {
  const { row, env, tier } = await destinationFor(tx, ctx, input.id);
  if (!row.deletedAt) throw new AppError("not_found");
  const type = row.type as DestinationType;
  const live = await liveDestination(tx, ctx.organizationId, type, env.id);
  if (live)
    throw new AppError("conflict:exists", {
      form: [
        `${env.name} already has a live ${DESTINATIONS[type].label} destination (${live.name}): delete it before restoring this one`,
      ],
    });
  await refuseLocked(tx, ctx, env, "Destinations");
  const risk = configRiskIn(tier, {
    kind: "update",
    before: {},
    after: { enabled: false },
    secretsChanged: [],
  });
  const version = await save(
    tx,
    ctx,
    row,
    env,
    row.version,
    { deletedAt: null, deletedBy: null, enabled: false, connectionStatus: "unknown", lastError: null },
    { action: "restore", risk, details: { enabled: false } },
  );
  return { status: "applied" as const, id: row.id, version };
}
