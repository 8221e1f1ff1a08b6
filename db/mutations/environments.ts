import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { riskOf } from "@/lib/risk";
import type { environmentInput } from "@/lib/validation/environments";
import { requireCapability } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { environments } from "../schema";
import { writeAudit } from "./audit";
import { type Approval, approvedBy, deferChange, mustWait } from "./change-request-open";
import type { ConsoleChange } from "./variables";

export type EnvironmentInput = z.infer<typeof environmentInput>;

const columns = (input: EnvironmentInput) => ({
  name: input.name,
  displayName: input.displayName,
  description: input.description ?? null,
  environmentType: input.environmentType,
  isProduction: input.isProduction,
  weddingDayProtection: input.weddingDayProtection,
  deploymentBranch: input.deploymentBranch ?? null,
  deploymentUrl: input.deploymentUrl ?? null,
});

const nameConflict = (name: string) =>
  new AppError("conflict:exists", { name: [`An environment named ${name} already exists`] });

export async function createEnvironment(tx: Tx, ctx: TenantContext, input: EnvironmentInput) {
  requireCapability(ctx, "environment:manage");
  const [row] = await tx
    .insert(environments)
    .values({ ...columns(input), organizationId: ctx.organizationId })
    .onConflictDoNothing()
    .returning({ id: environments.id });
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

/** Updates an environment's settings; lifting its wedding-day protection is HIGH and waits for a reviewer. */
export async function updateEnvironment(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  expectedVersion: number,
  input: EnvironmentInput,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string }>> {
  if (!options.approval) requireCapability(ctx, "environment:manage");
  const [current] = await tx
    .select()
    .from(environments)
    .where(and(eq(environments.id, id), eq(environments.organizationId, ctx.organizationId)));
  if (!current) throw new AppError("not_found");
  if (current.version !== expectedVersion) throw new AppError("conflict:version");
  const next = columns(input);
  const changed = Object.entries(next)
    .filter(([k, v]) => v !== current[k as keyof typeof current])
    .map(([k]) => k);
  const risk = riskOf({
    action: "environment:update",
    environmentType: input.environmentType,
    protectionRemoved: current.weddingDayProtection && !input.weddingDayProtection,
  });
  if (mustWait(risk, options.approval))
    return deferChange(tx, ctx, {
      action: "environment:update",
      payload: { id, expectedVersion, input },
      summary: `${current.name}: ${risk.reasons.join("; ")}`,
      risk,
      reason: options.reason,
    });
  const [row] = await tx
    .update(environments)
    .set({ ...next, version: sql`${environments.version} + 1`, updatedAt: new Date() })
    .where(and(eq(environments.id, id), eq(environments.version, expectedVersion)))
    .returning({ id: environments.id })
    .catch((e: { code?: string }) => {
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
