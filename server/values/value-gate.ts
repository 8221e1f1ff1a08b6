import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { grantsFor } from "@/db/repos/grants";
import { batchMode, highestRisk, REASON_MIN, valueChangeMode } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import { atLeast, effectivePermission } from "@/lib/policy";
import type { Classification, RiskLevel } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import type { TargetEnvironment, WritableVariable, WriteOptions } from "@/server/values/value-types";

/**
 * How a batch of value changes goes through (lib/approvals): at once, as one change request, or refused.
 * Each change is scored (lib/risk) from its variable's classification, the environment and the action.
 */
export async function gateChanges(
  tx: Tx,
  ctx: TenantContext,
  env: TargetEnvironment,
  changes: { variable: WritableVariable; action: "value:set" | "value:delete" }[],
  emergency: boolean,
) {
  const grants = await grantsFor(tx, ctx);
  const now = new Date();
  const reasons = new Set<string>();
  const scored = changes.map((c) => {
    const { permission } = effectivePermission({
      role: ctx.role,
      userId: ctx.userId,
      envType: env.environmentType as EnvironmentType,
      envName: env.name,
      variableId: c.variable.id,
      variableTags: c.variable.tags,
      grants,
      now,
      timeZone: grants.timeZone,
      emergencySession: emergency,
    });
    const { mode, risk } = valueChangeMode({
      role: ctx.role,
      permission,
      action: c.action,
      classification: c.variable.securityClassification as Classification,
      weddingCritical: c.variable.isWeddingCritical,
      environmentType: env.environmentType as EnvironmentType,
      emergency,
    });
    if (mode === "request") {
      for (const r of risk.reasons) reasons.add(r);
      if (!atLeast(permission, "write")) reasons.add(`proposed without write access to ${env.name}`);
    }
    return { mode, risk: risk.level };
  });
  const mode = batchMode(scored.map((s) => s.mode));
  if (mode === "forbidden") throw new AppError("forbidden");
  return {
    mode,
    risks: scored.map((s) => s.risk),
    riskLevel: highestRisk(scored.map((s) => s.risk)),
    reasons,
  };
}

/** The reason a change request needs, or the field error that asks for it. */
export function requestReason(options: WriteOptions, riskLevel: RiskLevel) {
  const reason = options.reason?.trim() ?? "";
  if (reason.length >= REASON_MIN) return { reason };
  return {
    error: {
      [options.reasonField ?? "note"]: [
        `This change needs a reviewer's approval (${riskLevel} risk): say why in at least ${REASON_MIN} characters`,
      ],
    },
  };
}
