import { randomBytes } from "node:crypto";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { resolveTargetDrift } from "@/db/repos/drift-findings";
import { environmentInOrg } from "@/db/repos/grants";
import { type TargetChanges, type TargetRow, targetById, updateTargetAtVersion } from "@/db/repos/targets";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { type RiskLevel, riskOf } from "@/lib/risk";
import type { EnvironmentType } from "@/lib/roles";
import type { TargetSettings } from "@/lib/validation/targets";
import {
  type Approval,
  approvedBy,
  approvedChange,
  deferChange,
  mustWait,
} from "@/server/approvals/change-request-open";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { checkedLocation, sealTargetSecret } from "@/server/targets/sync-targets";
import type { ConsoleChange } from "@/server/variables/variables";

type Target = TargetRow;

/** The target of the caller's organization, for owners and admins (or a reviewer replaying an approval). */
async function targetFor(tx: Tx, ctx: TenantContext, id: string, approved = false): Promise<Target> {
  if (!approved) requireCapability(ctx, "environment:manage");
  const target = await targetById(tx, ctx.organizationId, id);
  if (!target) throw new AppError("not_found");
  return target;
}

/** Writes the change if nobody changed the target since `version` was read; the audit row says what moved. */
async function saveTarget(
  tx: Tx,
  ctx: TenantContext,
  target: Target,
  version: number,
  changes: TargetChanges,
  details: Record<string, unknown>,
  riskLevel?: RiskLevel,
) {
  const row = await updateTargetAtVersion(tx, target.id, version, changes).catch(
    (e: { code?: string; cause?: { code?: string } }) => {
      if ((e.code ?? e.cause?.code) === "23505")
        throw new AppError("conflict:exists", {
          name: ["This environment already has a target by that name"],
        });
      throw e;
    },
  );
  if (!row) throw new AppError("conflict:version", undefined, { version: target.version });
  const env = await environmentInOrg(tx, ctx, target.environmentId);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "sync_target",
    resourceId: target.id,
    environmentId: target.environmentId,
    riskLevel,
    details: { name: target.name, environment: env.name, ...details },
  });
  return { id: target.id, version: row.version };
}

const SETTINGS = ["name", "location", "deleteUnmanaged", "autoPush", "scanIntervalMinutes"] as const;
const COLUMN = {
  name: "name",
  location: "location",
  deleteUnmanaged: "delete_unmanaged",
  autoPush: "auto_push",
  scanIntervalMinutes: "scan_interval_minutes",
} as const;

/**
 * Changes a target's settings (its environment and kind stay). A new location is a different place: what the
 * console pushed to the old one is not managed there, so the managed keys start again from none. The audit
 * row has each setting before and after. On a production-tier target, a new location or starting to delete
 * unmanaged keys is HIGH: it waits for a reviewer (with a reason) and is replayed here on approval.
 */
export async function updateTarget(
  tx: Tx,
  ctx: TenantContext,
  input: TargetSettings,
  options: { reason?: string; approval?: Approval } = {},
): Promise<ConsoleChange<{ id: string; version: number }>> {
  const approved = await approvedChange(tx, ctx, options.approval, "target:update", input.id);
  const target = await targetFor(tx, ctx, input.id, approved);
  if (input.kind !== target.kind)
    throw new AppError("validation", { kind: ["A target's kind cannot change: add a new target instead"] });
  if (target.version !== input.version)
    throw new AppError("conflict:version", undefined, { version: target.version });
  const location = await checkedLocation(ctx.organizationId, input);
  const next = { ...input, location };
  const changed = SETTINGS.filter((k) => next[k] !== target[k]);
  if (changed.length === 0) return { status: "applied", id: target.id, version: target.version };
  const moved = changed.includes("location");
  const env = await environmentInOrg(tx, ctx, target.environmentId);
  const risk = riskOf({
    action: "target:update",
    environmentType: env.environmentType as EnvironmentType,
    locationChanged: moved,
    deleteUnmanagedEnabled: next.deleteUnmanaged && !target.deleteUnmanaged,
  });
  if (mustWait(risk, approved))
    return deferChange(tx, ctx, {
      action: "target:update",
      payload: { input: next },
      summary: `${target.name} (${env.name}): ${risk.reasons.join("; ")}`,
      risk,
      reason: options.reason,
      resourceId: target.id,
    });
  const changes = Object.fromEntries(changed.map((k) => [k, next[k]]));
  const saved = await saveTarget(
    tx,
    ctx,
    target,
    input.version,
    { ...changes, ...(moved ? { managedKeys: [] } : {}) },
    {
      changed: Object.fromEntries(changed.map((k) => [COLUMN[k], { from: target[k], to: next[k] }])),
      ...(moved ? { managed_keys_reset: target.managedKeys.length } : {}),
      ...approvedBy(options.approval),
    },
    risk.level,
  );
  return { status: "applied", ...saved };
}

/**
 * Replaces a target's shared secret (sealed under the organization's current data key). A generated secret is
 * returned this once for an HTTP receiver; until the receiver has it, tests, scans and pushes fail with
 * "check the shared secret". The old secret is not kept.
 */
export async function rotateTargetSecret(tx: Tx, ctx: TenantContext, input: { id: string; secret?: string }) {
  const target = await targetFor(tx, ctx, input.id);
  const secret = input.secret ?? randomBytes(32).toString("base64url");
  const vault = await orgVault(tx, ctx.organizationId);
  await saveTarget(
    tx,
    ctx,
    target,
    target.version,
    sealTargetSecret(vault, ctx.organizationId, target.id, secret),
    { secret: input.secret ? "rotated (given)" : "rotated (generated)" },
  );
  return { id: target.id, secret: !input.secret && target.kind === "http" ? secret : null };
}

/**
 * Deactivates a target (no scans, pushes or automatic pushes; its history stays) or activates it again.
 * Deactivating resolves its open drift with a note, since nobody is watching that target any more.
 */
export async function setTargetActive(tx: Tx, ctx: TenantContext, input: { id: string; active: boolean }) {
  const target = await targetFor(tx, ctx, input.id);
  if (target.isActive === input.active) return { id: target.id, resolved: 0 };
  await saveTarget(tx, ctx, target, target.version, { isActive: input.active }, { active: input.active });
  if (input.active) return { id: target.id, resolved: 0 };
  const resolved = await resolveTargetDrift(
    tx,
    ctx.organizationId,
    target.id,
    ctx.userId,
    "The target was deactivated",
  );
  return { id: target.id, resolved };
}
