import type { z } from "zod";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import {
  type EnvironmentColumns,
  environmentRow,
  insertEnvironmentUnlessNameTaken,
  syncTargetCount,
  updateEnvironmentRow,
} from "@/db/repos/environments";
import { AppError } from "@/lib/errors";
import { riskOf } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import type { environmentInput } from "@/lib/validation/environments";
import {
  type Approval,
  approvedBy,
  approvedChange,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { refuseDuringWeddingHours } from "@/server/environments/wedding-lock";
import type { ConsoleChange } from "@/server/variables/variables";

export type EnvironmentInput = z.infer<typeof environmentInput>;

const columns = (input: EnvironmentInput): EnvironmentColumns => ({
  name: input.name,
  displayName: input.displayName,
  description: input.description ?? null,
  environmentType: input.environmentType,
  weddingDayProtection: input.weddingDayProtection,
  deploymentBranch: input.deploymentBranch ?? null,
  deploymentUrl: input.deploymentUrl ?? null,
});

const nameConflict = (name: string) =>
  new AppError("conflict:exists", { name: [`An environment named ${name} already exists`] });

export async function createEnvironment(tx: Tx, ctx: TenantContext, input: EnvironmentInput) {
  requireCapability(ctx, "environment:manage");
  const row = await insertEnvironmentUnlessNameTaken(tx, ctx.organizationId, columns(input));
  if (!row) throw nameConflict(input.name);
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "environment",
    resourceId: row.id,
    environmentId: row.id,
    details: { name: input.name, type: input.environmentType, protected: input.weddingDayProtection },
  });
  return row;
}

/**
 * Updates an environment's settings. Its type (which makes it production or not) and its wedding-day protection
 * set the risk of every value there, so changing either is HIGH: it waits for a reviewer, and is refused while
 * wedding hours are in force (the database refuses both too).
 */
export async function updateEnvironment(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  expectedVersion: number,
  input: EnvironmentInput,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "environment:update", id);
  if (!approved) requireCapability(ctx, "environment:manage");
  const current = await environmentRow(tx, ctx.organizationId, id);
  if (!current) throw new AppError("not_found");
  if (current.version !== expectedVersion) throw new AppError("conflict:version");
  const next = columns(input);
  const changed = Object.entries(next)
    .filter(([k, v]) => v !== current[k as keyof typeof current])
    .map(([k]) => k);
  const retyped =
    input.environmentType !== current.environmentType ||
    input.weddingDayProtection !== current.weddingDayProtection;
  if (retyped)
    await refuseDuringWeddingHours(tx, ctx, `The type and protection of ${current.name} cannot change`);
  const risk = riskOf({
    action: "environment:update",
    from: {
      environmentType: current.environmentType as EnvironmentType,
      weddingDayProtection: current.weddingDayProtection,
    },
    to: { environmentType: input.environmentType, weddingDayProtection: input.weddingDayProtection },
  });
  if (mustWait(risk, approved)) {
    // How many sync targets it has: the reviewer of a retype reads where its values go.
    const targets = await syncTargetCount(tx, id);
    return deferChange(tx, ctx, {
      action: "environment:update",
      payload: { id, expectedVersion, input },
      summary: `${current.name}: ${risk.reasons.join("; ")}${targets > 0 ? `; ${targets} sync target(s) receive its values` : ""}`,
      risk,
      reason: options.reason,
      resourceId: id,
    });
  }
  const row = await updateEnvironmentRow(tx, id, expectedVersion, next).catch((e: { code?: string }) => {
    if (e.code === "23505") throw nameConflict(input.name);
    throw e;
  });
  if (!row) throw new AppError("conflict:version");
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "environment",
    resourceId: id,
    environmentId: id,
    riskLevel: risk.level,
    details: { name: input.name, changed_fields: changed, ...approvedBy(options.approval) },
  });
  return { status: "applied", id: row.id };
}
