import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import {
  type DriftRecord,
  driftById,
  endUnmatchedDismissals,
  type FindingRow,
  markDriftResolved,
  resolveUnseen,
  touchHeldDismissals,
  upsertFindings,
} from "@/db/repos/drift-findings";
import {
  firstEnvironmentOfType,
  productionTierEnvironments,
  requiredVariablesSetIn,
  variablesSetIn,
} from "@/db/repos/drift-scan";
import { type DriftFinding, detectDrift, detectParity, driftKey, type ExpectedKey } from "@/lib/drift";
import { AppError } from "@/lib/errors";
import { atLeast } from "@/lib/policy";
import { ENVIRONMENT_TYPES, type EnvironmentType, environmentTier } from "@/lib/roles";
import { deployedHash } from "@/lib/sync-protocol";
import { TargetError } from "@/lib/targets/types";
import { writeAudit } from "@/server/audit/audit";
import { requireValuePermission, valuePermissions } from "@/server/authz";
import { type OpenTarget, openTarget, recordContact, requireActive } from "@/server/targets/sync-targets";
import { consoleValues } from "@/server/targets/target-state";

export type ScanResult =
  | { ok: true; open: number; found: number; resolved: number; message: string }
  | { ok: false; message: string };

const tierOf = (type: string) => environmentTier(type as EnvironmentType);

/**
 * Production-tier values of sensitive variables, hashed under this (lower-tier) target's secret: if one of
 * them is deployed here, a production secret has leaked down. Skipped for callers who cannot read production.
 */
async function productionHashes(tx: Tx, ctx: TenantContext, open: OpenTarget) {
  const hashes = new Map<string, Set<string>>();
  if (tierOf(open.env.environmentType) === "production") return hashes;
  const production = await productionTierEnvironments(tx, ctx.organizationId);
  const permissions = await valuePermissions(tx, ctx, null, production);
  for (const [i, env] of production.entries()) {
    if (!atLeast(permissions[i].permission, "read")) continue;
    for (const v of await consoleValues(tx, ctx, env, { sensitive: true })) {
      const set = hashes.get(v.name) ?? new Set<string>();
      set.add(deployedHash(open.secret, v.value));
      hashes.set(v.name, set);
    }
  }
  return hashes;
}

/**
 * Scans one target: what the console expects there (hashed under the target's secret; plaintext only in
 * memory) against what is deployed, recorded as drift — once per (target, type, key) while unresolved; drift
 * no longer seen is resolved automatically with a note. Parity with the environment below is checked too.
 * A target that cannot be reached records a failed contact and changes no drift.
 */
export async function scanTarget(ctx: TenantContext, targetId: string): Promise<ScanResult> {
  const plan = await withContext(ctx, async (tx) => {
    const open = await openTarget(tx, ctx, targetId);
    // A scan compares every value of the environment (decrypted in memory) with what is deployed: only for
    // those who may read all of them; anyone else would record the values they cannot see as drift.
    await requireValuePermission(tx, ctx, null, open.env, "read");
    requireActive(open);
    const values = await consoleValues(tx, ctx, open.env);
    const leaks = await productionHashes(tx, ctx, open);
    const expected: ExpectedKey[] = values.map((v) => ({
      variableId: v.variableId,
      name: v.name,
      deployedHash: deployedHash(open.secret, v.value),
      valueHash: v.valueHash ?? "",
      classification: v.classification,
      weddingCritical: v.weddingCritical,
      required: v.required,
      expired: v.expired,
    }));
    return { open, expected, leaks };
  });
  const { open, expected, leaks } = plan;
  let deployed: Map<string, string>;
  try {
    deployed = await open.driver.state();
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    await withContext(ctx, async (tx) => {
      await recordContact(tx, open.target.id, { ok: false, message: error.message, scanned: true });
      await auditScan(tx, ctx, open, { status: "failed", error: error.message });
    });
    return { ok: false, message: error.message };
  }
  const leaked = new Set(
    expected
      .filter(
        (e) => leaks.get(e.name)?.has(deployed.get(e.name) ?? "") && deployed.get(e.name) !== e.deployedHash,
      )
      .map((e) => e.name),
  );
  const findings = detectDrift({ expected, deployed, tier: tierOf(open.env.environmentType), leaked });
  return withContext(ctx, async (tx) => {
    const stored = await storeFindings(
      tx,
      ctx,
      { environmentId: open.env.id, targetId: open.target.id },
      findings,
    );
    const parity = await scanParity(tx, ctx, open.env);
    const message = `${findings.length} drift finding(s), ${stored.found} new, ${stored.resolved} resolved`;
    await recordContact(tx, open.target.id, { ok: true, message, scanned: true });
    await auditScan(tx, ctx, open, {
      status: "completed",
      findings: findings.length,
      new: stored.found,
      resolved: stored.resolved,
      parity: parity.found,
    });
    return {
      ok: true,
      open: findings.length,
      found: stored.found + parity.found,
      resolved: stored.resolved + parity.resolved,
      message,
    };
  });
}

async function auditScan(tx: Tx, ctx: TenantContext, open: OpenTarget, details: Record<string, unknown>) {
  await writeAudit(tx, ctx, {
    action: "read",
    resourceType: "sync_target",
    resourceId: open.target.id,
    environmentId: open.env.id,
    details: { scan: true, target: open.target.name, ...details },
  });
}

/**
 * Records findings under one scope (a target, or parity of an environment): new ones inserted, known ones
 * refreshed (last seen, severity, hashes), the scope's open drift that was not found again resolved `auto`.
 * A dismissed drift is not reported again while a scan sees exactly it (same key, same expected and deployed
 * hashes): its dismissal holds and only its last-seen time moves. The dismissal ends when a scan no longer
 * sees it or sees a different difference under that key, which is then reported as new.
 */
async function storeFindings(
  tx: Tx,
  ctx: TenantContext,
  scope: { environmentId: string; targetId: string | null },
  findings: DriftFinding[],
) {
  const prefix = scope.targetId ?? `parity:${scope.environmentId}`;
  const rows: FindingRow[] = findings.map((f) => ({
    drift_key: driftKey(prefix, f),
    drift_type: f.type,
    variable_name: f.name,
    variable_id: f.variableId,
    drift_severity: f.severity,
    expected_value_hash: f.expectedHash,
    actual_value_hash: f.actualHash,
    details: f.details,
  }));
  // Dismissals in this scope that no finding matches exactly any more have ended.
  await endUnmatchedDismissals(tx, ctx.organizationId, prefix, rows);
  // The rest still hold: seen again, not reported again.
  const held = rows.length ? await touchHeldDismissals(tx, ctx.organizationId, prefix, rows) : [];
  const dismissed = new Set(held);
  const reported = rows.filter((r) => !dismissed.has(r.drift_key));
  const inserted = reported.length
    ? await upsertFindings(
        tx,
        { organizationId: ctx.organizationId, environmentId: scope.environmentId, targetId: scope.targetId },
        reported,
      )
    : [];
  const resolved = await resolveUnseen(
    tx,
    ctx.organizationId,
    prefix,
    rows.map((r) => r.drift_key),
  );
  return { found: inserted.filter(Boolean).length, resolved };
}

/** Parity drift (seed 004): required variables the environment below has and this one lacks. */
async function scanParity(tx: Tx, ctx: TenantContext, env: { id: string; environmentType: string }) {
  // ENVIRONMENT_TYPES is the promotion order: development → testing → staging → production → DR.
  const belowType = ENVIRONMENT_TYPES[ENVIRONMENT_TYPES.indexOf(env.environmentType as EnvironmentType) - 1];
  const below = belowType ? await firstEnvironmentOfType(tx, ctx.organizationId, belowType) : undefined;
  if (!below) return storeFindings(tx, ctx, { environmentId: env.id, targetId: null }, []);
  // Metadata only (no values); heads let a caller who cannot read an environment still see what is set.
  const here = new Set(await variablesSetIn(tx, ctx.organizationId, env.id));
  const belowRows = await requiredVariablesSetIn(tx, ctx.organizationId, below.id);
  const findings = detectParity({
    below: belowRows.map((r) => ({
      name: r.name,
      variableId: r.variableId,
      subject: {
        classification: r.classification as ExpectedKey["classification"],
        weddingCritical: r.weddingCritical,
        required: r.required,
      },
    })),
    present: new Set(belowRows.filter((r) => here.has(r.variableId)).map((r) => r.name)),
    belowName: below.name,
    tier: tierOf(env.environmentType),
  });
  return storeFindings(tx, ctx, { environmentId: env.id, targetId: null }, findings);
}

export type OpenDrift = DriftRecord;

/** An unresolved drift of the caller's organization, or a clear refusal. */
export async function openDrift(tx: Tx, ctx: TenantContext, id: string): Promise<OpenDrift> {
  const row = await driftById(tx, ctx.organizationId, id);
  if (!row) throw new AppError("not_found");
  if (row.resolvedAt)
    throw new AppError("conflict:version", { form: [`Already resolved (${row.resolution ?? "resolved"})`] });
  return row;
}

/** Marks a drift resolved, with who, how and why, and its audit row. */
export async function closeDrift(
  tx: Tx,
  ctx: TenantContext,
  drift: OpenDrift,
  resolution: "pushed" | "adopted" | "dismissed",
  notes: string,
) {
  const row = await markDriftResolved(tx, drift.id, {
    resolution,
    resolvedBy: ctx.userId,
    resolutionNotes: notes,
  });
  if (!row) throw new AppError("conflict:version", { form: ["Already resolved"] });
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "drift",
    resourceId: drift.id,
    environmentId: drift.environmentId,
    variableId: drift.variableId,
    details: {
      resolution,
      type: drift.driftType,
      key: drift.variableName,
      severity: drift.driftSeverity,
      notes,
    },
  });
}
