import type { z } from "zod";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { grantsFor } from "@/db/repos/grants";
import {
  deletedVariableRow,
  environmentNamesAndTypes,
  environmentsWithValueOf,
  insertVariable,
  liveVariableNamed,
  liveVariableRow,
  softDeleteVariableAt,
  undeleteVariable,
  updateVariableAt,
  type VariableColumns,
} from "@/db/repos/variable-rows";
import { tagWidening } from "@/lib/access-widening";
import { highestRisk } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/policy";
import { type Classification, type Risk, riskOf } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import type { variableInput } from "@/lib/validation/variables";
import {
  type Approval,
  approvedBy,
  approvedChange,
  type Deferred,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";

export type VariableInput = z.infer<typeof variableInput>;

const columns = (input: VariableInput): VariableColumns => ({
  name: input.name,
  displayName: input.displayName ?? null,
  description: input.description ?? null,
  variableType: input.variableType,
  securityClassification: input.securityClassification,
  isRequired: input.isRequired,
  isWeddingCritical: input.isWeddingCritical,
  validationPattern: input.validationPattern ?? null,
  tags: input.tags,
  rotationIntervalDays: input.rotationIntervalDays ?? null,
});

async function nameTaken(tx: Tx, ctx: TenantContext, name: string, exceptId?: string) {
  const row = await liveVariableNamed(tx, ctx.organizationId, name);
  return row !== undefined && row.id !== exceptId;
}

const nameConflict = (name: string) =>
  new AppError("conflict:exists", { name: [`A variable named ${name} already exists`] });

export async function createVariable(tx: Tx, ctx: TenantContext, input: VariableInput) {
  requireCapability(ctx, "variable:create");
  if (await nameTaken(tx, ctx, input.name)) throw nameConflict(input.name);
  const row = await insertVariable(tx, {
    ...columns(input),
    organizationId: ctx.organizationId,
    createdBy: ctx.userId,
    updatedBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "variable",
    resourceId: row.id,
    variableId: row.id,
    details: { name: input.name, classification: input.securityClassification, type: input.variableType },
  });
  return row;
}

export type ConsoleChange<T> = ({ status: "applied" } & T) | Deferred;

/**
 * Updates metadata if nobody changed it since `expectedVersion`; otherwise a version conflict. Lowering the
 * classification or removing the wedding-critical flag is HIGH: it waits for a reviewer (with `reason`).
 */
export async function updateVariable(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  expectedVersion: number,
  input: VariableInput,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string; version: number }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "variable:update", id);
  if (!approved) requireCapability(ctx, "variable:update");
  const current = await liveVariable(tx, ctx, id);
  if (current.version !== expectedVersion) throw new AppError("conflict:version");
  if (input.name !== current.name && (await nameTaken(tx, ctx, input.name, id)))
    throw nameConflict(input.name);
  const next = columns(input);
  const changed = Object.entries(next)
    .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k as keyof typeof current]))
    .map(([k]) => k);
  const widens = await widening(tx, ctx, current, input.tags);
  if (widens && !approved && !can(ctx.role, "members:manage"))
    throw new AppError("forbidden", {
      tags: [
        `This tag gives access to ${current.name}'s values through a grant (${widens.reasons.join("; ")}): only owners and admins grant access`,
      ],
    });
  const risk = riskOf({
    action: "variable:update",
    from: current.securityClassification as Classification,
    to: input.securityClassification,
    weddingCriticalRemoved: current.isWeddingCritical && !input.isWeddingCritical,
    widens,
  });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "variable:update",
      payload: { id, expectedVersion, input },
      summary: `${current.name}: ${risk.reasons.join("; ")}`,
      risk,
      reason: options.reason,
      variableId: id,
      resourceId: id,
    });
  const row = await updateVariableAt(tx, id, expectedVersion, next, ctx.userId);
  if (!row) throw new AppError("conflict:version");
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "variable",
    resourceId: id,
    variableId: id,
    riskLevel: risk.level,
    details: {
      name: input.name,
      changed_fields: changed,
      ...(widens ? { access_widened: widens.reasons } : {}),
      ...approvedBy(options.approval),
    },
  });
  return { status: "applied", ...row };
}

/** The tag-scoped grants a variable's new tags bring into reach, as the risk of granting them (null: none). */
async function widening(tx: Tx, ctx: TenantContext, current: { id: string; tags: string[] }, tags: string[]) {
  if (tags.every((t) => current.tags.includes(t))) return null;
  const envs = await environmentNamesAndTypes(tx, ctx.organizationId);
  return tagWidening({
    grants: await grantsFor(tx, ctx),
    variableId: current.id,
    from: current.tags,
    to: tags,
    environments: envs,
    now: new Date(),
  });
}

/**
 * Deleting a variable takes its values out of every deployment, and restoring it brings them back: the risk of
 * deleting (or setting) each of its values, wherever it has one — also where the caller cannot read it.
 */
async function valuesRisk(
  tx: Tx,
  variable: { id: string; securityClassification: string; isWeddingCritical: boolean },
  action: "value:set" | "value:delete",
): Promise<Risk | null> {
  const rows = await environmentsWithValueOf(tx, variable.id);
  if (rows.length === 0) return null;
  const risks = rows.map((r) => ({
    env: r.name,
    ...riskOf({
      action,
      classification: variable.securityClassification as Classification,
      weddingCritical: variable.isWeddingCritical,
      environmentType: r.environment_type as EnvironmentType,
    }),
  }));
  const level = highestRisk(risks.map((r) => r.level));
  const worst = risks.filter((r) => r.level === level).map((r) => r.env);
  return {
    level,
    reasons: [`${action === "value:delete" ? "removes" : "brings back"} its value in ${worst.join(", ")}`],
  };
}

/** Soft delete (restorable for 90 days); deleting a wedding-critical variable is HIGH and waits. */
export async function deleteVariable(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  expectedVersion: number,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "variable:delete", id);
  if (!approved) requireCapability(ctx, "variable:delete");
  const current = await liveVariable(tx, ctx, id);
  if (current.version !== expectedVersion) throw new AppError("conflict:version");
  const risk = riskOf({
    action: "variable:delete",
    classification: current.securityClassification as Classification,
    weddingCritical: current.isWeddingCritical,
    values: await valuesRisk(tx, current, "value:delete"),
  });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "variable:delete",
      payload: { id, expectedVersion },
      summary: `Delete ${current.name} (${risk.reasons.join("; ")})`,
      risk,
      reason: options.reason,
      variableId: id,
      resourceId: id,
    });
  const row = await softDeleteVariableAt(tx, id, expectedVersion, ctx.userId);
  if (!row) throw new AppError("conflict:version");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "variable",
    resourceId: id,
    variableId: id,
    riskLevel: risk.level,
    details: {
      name: current.name,
      soft_delete: true,
      recoverable_days: 90,
      ...approvedBy(options.approval),
    },
  });
  return { status: "applied", id: row.id };
}

/**
 * Restores a soft-deleted variable with its values. That sets each value again: a variable with a HIGH or
 * CRITICAL value somewhere waits for a reviewer (with a reason), like setting that value would.
 */
export async function restoreVariable(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "variable:restore", id);
  if (!approved) requireCapability(ctx, "variable:delete");
  const current = await deletedVariableRow(tx, ctx.organizationId, id);
  if (!current) throw new AppError("not_found");
  if (await nameTaken(tx, ctx, current.name)) throw nameConflict(current.name);
  const risk = riskOf({ action: "variable:restore", values: await valuesRisk(tx, current, "value:set") });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "variable:restore",
      payload: { id },
      summary: `Restore ${current.name} (${risk.reasons.join("; ")})`,
      risk,
      reason: options.reason,
      variableId: id,
      resourceId: id,
    });
  const row = await undeleteVariable(tx, id);
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "restore",
    resourceType: "variable",
    resourceId: id,
    variableId: id,
    riskLevel: risk.level,
    details: { name: current.name, ...approvedBy(options.approval) },
  });
  return { status: "applied", id };
}

export async function liveVariable(tx: Tx, ctx: TenantContext, id: string) {
  const row = await liveVariableRow(tx, ctx.organizationId, id);
  if (!row) throw new AppError("not_found");
  return row;
}
