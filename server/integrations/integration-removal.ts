import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { liveIntegration } from "@/db/repos/integrations";
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
import { integrationFor, labelOf, save } from "./integration-rows";

/**
 * Deletes an integration config (soft: it can be restored; health checks stop). CRITICAL on a production-tier
 * environment (seed 002): it waits for a reviewer and is replayed here on approval; the database refuses it
 * otherwise. Refused in a locked environment during wedding hours. Its variables and values stay.
 */
export async function deleteIntegration(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; version: number; reason?: string },
  options: { approval?: Approval } = {},
): Promise<{ status: "applied"; id: string } | Deferred> {
  const approved = await approvedChange(tx, ctx, options.approval, "integration:delete", input.id);
  const { row, env, tier } = await integrationFor(tx, ctx, input.id, approved);
  if (row.deletedAt) throw new AppError("not_found");
  if (row.version !== input.version)
    throw new AppError("conflict:version", undefined, { version: row.version });
  await refuseLocked(tx, ctx, env, "Integrations");
  const risk = configRiskIn(tier, { kind: "delete" });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "integration:delete",
      payload: { id: row.id, version: row.version },
      summary: `Delete the ${labelOf(row.platform)} ${row.configType} config ${row.name} (${env.name})`,
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
    { deletedAt: new Date(), deletedBy: ctx.userId, isPrimary: false },
    {
      action: "delete",
      risk,
      details: { ...(input.reason ? { reason: input.reason } : {}), ...approvedBy(options.approval) },
    },
  );
  return { status: "applied", id: row.id };
}

/**
 * Restores a deleted config, inactive and not primary (its health unknown until checked again). Refused with a
 * clear message while a live config of its platform and kind is in its environment, and during wedding hours.
 */
export async function restoreIntegration(tx: Tx, ctx: TenantContext, input: { id: string }) {
  const { row, env, tier } = await integrationFor(tx, ctx, input.id);
  if (!row.deletedAt) throw new AppError("not_found");
  const live = await liveIntegration(tx, ctx.organizationId, {
    platform: row.platform,
    environmentId: env.id,
    configType: row.configType,
  });
  if (live)
    throw new AppError("conflict:exists", {
      form: [
        `${env.name} already has a live ${labelOf(row.platform)} config of this kind (${live.name}): delete it before restoring this one`,
      ],
    });
  await refuseLocked(tx, ctx, env, "Integrations");
  const risk = configRiskIn(tier, {
    kind: "update",
    before: {},
    after: { isActive: false },
    secretsChanged: [],
  });
  const version = await save(
    tx,
    ctx,
    row,
    env,
    row.version,
    { deletedAt: null, deletedBy: null, isActive: false, healthStatus: "unknown", healthMessage: null },
    { action: "restore", risk, details: { active: false } },
  );
  return { status: "applied" as const, id: row.id, version };
}
