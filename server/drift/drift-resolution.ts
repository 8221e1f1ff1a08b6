import { type TenantContext, withContext } from "@/db/context";
import { mergeDriftDetails } from "@/db/repos/drift-findings";
import { environmentInOrg } from "@/db/repos/grants";
import { insertVariables, liveVariableNamed } from "@/db/repos/variable-rows";
import { allows } from "@/lib/capabilities";
import { AppError } from "@/lib/errors";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { TargetError } from "@/lib/targets/types";
import { requireCapability, requireValuePermission } from "@/server/authz";
import { pushToTarget } from "@/server/deploy/deploy";
import { closeDrift, openDrift } from "@/server/drift/drift";
import { openTarget } from "@/server/targets/sync-targets";
import { IMPORT_DEFAULTS } from "@/server/values/dotenv-import";
import { currentValues, writeValues } from "@/server/values/value-writes";

export type DriftAction = "push" | "adopt" | "dismiss";

export type Resolution =
  | { status: "resolved"; resolution: "pushed" | "adopted" | "dismissed" }
  | { status: "requested"; requestId: string; riskLevel: string }
  | { status: "failed"; message: string };

const PUSHABLE = new Set(["missing_variable", "value_mismatch", "security_violation"]);
const ADOPTABLE = new Set(["value_mismatch", "unexpected_variable"]);

/**
 * Resolves one drift:
 * - push: send the console's value of that key to the target (nothing else changes there);
 * - adopt: take the target's value into the console — a normal write, so versioned, audited, subject to the
 *   approval gate (a HIGH change waits as a change request; the drift stays open until it applies) and to
 *   wedding hours; an unknown key becomes a new variable (secret, confidential);
 * - dismiss: close it with a note saying why.
 * During wedding hours a protected environment refuses push and adopt, unless the caller has broken glass.
 */
export async function resolveDrift(
  ctx: TenantContext,
  input: { id: string; action: DriftAction; note?: string },
): Promise<Resolution> {
  const note = input.note?.trim() ?? "";
  const drift = await withContext(ctx, (tx) => openDrift(tx, ctx, input.id));
  if (input.action === "dismiss") {
    if (note.length < 3) throw new AppError("validation", { note: ["Say why you dismiss it"] });
    await withContext(ctx, async (tx) => {
      // Closing it hides a difference: `drift:resolve` in the environment's tier (the capabilities table),
      // or write there through a grant or break-glass.
      const env = await environmentInOrg(tx, ctx, drift.environmentId);
      if (!allows(ctx.role, "drift:resolve", environmentTier(env.environmentType as EnvironmentType)))
        await requireValuePermission(tx, ctx, null, env, "write");
      await closeDrift(tx, ctx, drift, "dismissed", note);
    });
    return { status: "resolved", resolution: "dismissed" };
  }
  if (!drift.targetId)
    throw new AppError("validation", {
      form: ["Parity drift is resolved by setting the value in this environment (or dismissing it)"],
    });
  if (input.action === "push") {
    if (!PUSHABLE.has(drift.driftType))
      throw new AppError("validation", {
        form: [
          "The console has no value for this key: adopt it, or dismiss it (unmanaged keys are never deleted)",
        ],
      });
    const pushed = await pushToTarget(ctx, { targetId: drift.targetId, names: [drift.variableName] });
    if (pushed.status !== "completed") return { status: "failed", message: pushed.message };
    await withContext(ctx, (tx) =>
      closeDrift(
        tx,
        ctx,
        drift,
        "pushed",
        note || `Pushed the console's value (sync ${pushed.syncId.slice(0, 8)})`,
      ),
    );
    return { status: "resolved", resolution: "pushed" };
  }
  if (!ADOPTABLE.has(drift.driftType))
    throw new AppError("validation", { form: ["Only a differing or unknown deployed value can be adopted"] });
  // Adopting reads the deployed value into the console (a proposal its author may reveal): only for those who
  // may read this environment's values, checked before anything is fetched from the target.
  const open = await withContext(ctx, async (tx) => {
    const target = await openTarget(tx, ctx, drift.targetId as string);
    await requireValuePermission(tx, ctx, drift.variableId, target.env, "read");
    return target;
  });
  let value: string | undefined;
  try {
    value = (await open.driver.values([drift.variableName])).get(drift.variableName);
  } catch (error) {
    if (error instanceof TargetError) return { status: "failed", message: error.message };
    throw error;
  }
  if (value === undefined)
    return { status: "failed", message: `${drift.variableName} is no longer on the target` };
  return withContext(ctx, async (tx) => {
    const fresh = await openDrift(tx, ctx, drift.id);
    let variable = await liveVariableNamed(tx, ctx.organizationId, fresh.variableName);
    if (!variable) {
      requireCapability(ctx, "variable:create");
      [variable] = await insertVariables(tx, [
        {
          organizationId: ctx.organizationId,
          name: fresh.variableName,
          ...IMPORT_DEFAULTS,
          description: `Adopted from target ${open.target.name}`,
          createdBy: ctx.userId,
          updatedBy: ctx.userId,
        },
      ]);
    }
    const current = await currentValues(tx, open.env.id, [variable.id]);
    const reason = note || `Adopted the value deployed on ${open.target.name}`;
    const result = await writeValues(
      tx,
      ctx,
      open.env,
      [{ variable, value, expectedVersion: current.get(variable.id)?.version ?? 0, note: reason }],
      { reason, reasonField: "note", source: "drift" },
    );
    if (result.status === "requested") {
      await mergeDriftDetails(tx, fresh.id, { change_request: result.request.id });
      return { status: "requested", requestId: result.request.id, riskLevel: result.request.riskLevel };
    }
    await closeDrift(tx, ctx, fresh, "adopted", reason);
    return { status: "resolved", resolution: "adopted" };
  });
}
