import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { insertDeferredRequest, insertRequestItems, insertValueRequest } from "@/db/repos/approvals";
import type { CHANGE_REQUEST_ACTIONS } from "@/db/schema";
import { orgVault } from "@/db/vault";
import { CHANGE_REQUEST_DAYS, REASON_MIN } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import { needsApproval, type Risk, type RiskLevel } from "@/lib/risk";
import { verifiedRequest } from "@/server/approvals/approval-verify";
import { writeAudit } from "@/server/audit/audit";

export type ChangeSource = "edit" | "delete" | "restore" | "promote" | "import" | "drift";

export type ProposedItem = {
  variableId: string;
  name: string;
  /** The new value, or null to delete the value. */
  value: string | null;
  base: { version: number; valueHash: string | null };
  validationStatus: string | null;
  riskLevel: RiskLevel;
  note?: string;
};

export type OpenedRequest = { id: string; riskLevel: RiskLevel; items: number; expiresAt: Date };

/**
 * Opens a change request for one environment: each proposed value is encrypted for the row it will land in
 * (same AAD as the value) and hashed, so the queue compares hashes and approval moves no plaintext around
 * until it applies. Audited in the same transaction; nothing in the environment changes yet.
 */
export async function openChangeRequest(
  tx: Tx,
  ctx: TenantContext,
  env: { id: string; name: string },
  input: {
    source: ChangeSource;
    reason: string;
    riskLevel: RiskLevel;
    riskReasons: string[];
    items: ProposedItem[];
  },
): Promise<OpenedRequest> {
  const vault = await orgVault(tx, ctx.organizationId);
  // A proposal that equals the current state changes nothing: it is dropped, and a request of nothing else is
  // refused. Only where the requester may see the current hash: refusing otherwise would tell someone who
  // cannot read the value what it is (an approval of such a no-op then writes nothing).
  const hashed = input.items.map((item) => ({
    item,
    hash: item.value === null ? null : vault.hash(item.value),
  }));
  const changes = hashed.filter(
    ({ item, hash }) =>
      !(item.value === null
        ? item.base.version === 0
        : item.base.valueHash !== null && hash === item.base.valueHash),
  );
  if (changes.length === 0) throw new AppError("conflict:no_change");
  const request = await insertValueRequest(
    tx,
    {
      organizationId: ctx.organizationId,
      environmentId: env.id,
      requestedBy: ctx.userId,
      source: input.source,
      reason: input.reason,
      riskLevel: input.riskLevel,
      riskReasons: input.riskReasons,
    },
    CHANGE_REQUEST_DAYS,
  );
  await insertRequestItems(
    tx,
    changes.map(({ item, hash }) => {
      const sealed =
        item.value === null
          ? null
          : vault.encryptValue(item.value, {
              organizationId: ctx.organizationId,
              variableId: item.variableId,
              environmentId: env.id,
            });
      return {
        organizationId: ctx.organizationId,
        changeRequestId: request.id,
        variableId: item.variableId,
        environmentId: env.id,
        operation: item.value === null ? "delete" : "set",
        baseVersion: item.base.version,
        baseValueHash: item.base.valueHash,
        newEncryptedValue: sealed?.ciphertext ?? null,
        encryptionKeyId: sealed?.keyId ?? null,
        newValueHash: hash,
        validationStatus: item.validationStatus,
        riskLevel: item.riskLevel,
        note: item.note ?? null,
      };
    }),
  );
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "change_request",
    resourceId: request.id,
    environmentId: env.id,
    variableId: changes.length === 1 ? changes[0].item.variableId : null,
    riskLevel: input.riskLevel,
    details: {
      environment: env.name,
      source: input.source,
      reason: input.reason,
      items: changes.length,
      keys: changes.slice(0, 50).map(({ item: i }) => `${i.name}${i.value === null ? " (delete)" : ""}`),
      risk: input.riskReasons,
    },
  });
  return {
    id: request.id,
    riskLevel: input.riskLevel,
    items: changes.length,
    expiresAt: request.expiresAt,
  };
}

export type DeferredAction = Exclude<(typeof CHANGE_REQUEST_ACTIONS)[number], "values">;

/** Carried into a domain function that replays an approved request: names the request, which the gate verifies. */
export type Approval = { requestId: string };

/** The outcome of a console change that may wait for approval. */
export type Deferred = { status: "requested"; requestId: string; riskLevel: RiskLevel };

/**
 * Whether an approval carried into a domain function admits this change. It is never taken on trust: the stored
 * request must be in this organization, approved by the caller in this transaction, not their own, not expired,
 * for this action and this row (approval-verify.ts); anything else is refused with `approval_required`.
 */
export async function approvedChange(
  tx: Tx,
  ctx: TenantContext,
  approval: Approval | undefined,
  action: DeferredAction,
  resourceId: string | null,
): Promise<boolean> {
  if (!approval) return false;
  await verifiedRequest(tx, ctx, approval.requestId, { action, resourceId });
  return true;
}

/** Whether a change must wait for a reviewer: HIGH or CRITICAL, and not already the verified approved request. */
export const mustWait = (risk: Risk, approved: boolean) => !approved && needsApproval(risk.level);

/** What an audit row of an approved change adds to its details. */
export const approvedBy = (approval?: Approval) => (approval ? { change_request: approval.requestId } : {});

/**
 * A HIGH or CRITICAL console change (not a value) waits as a change request: its validated input is kept
 * (never a value or a secret) and replayed through the same domain function when a reviewer approves it.
 */
export async function deferChange(
  tx: Tx,
  ctx: TenantContext,
  input: {
    action: DeferredAction;
    payload: Record<string, unknown>;
    summary: string;
    risk: Risk;
    reason?: string;
    variableId?: string | null;
    /** The row it acts on: the database admits the change on this row only, when approved. */
    resourceId?: string;
  },
): Promise<Deferred> {
  const reason = input.reason?.trim() ?? "";
  if (reason.length < REASON_MIN)
    throw new AppError("validation", {
      reason: [
        `This change needs a reviewer's approval (${input.risk.level} risk: ${input.risk.reasons.join(", ")}): say why in at least ${REASON_MIN} characters`,
      ],
    });
  const request = await insertDeferredRequest(
    tx,
    {
      organizationId: ctx.organizationId,
      requestedBy: ctx.userId,
      source: "console",
      action: input.action,
      payload: input.payload,
      resourceId: input.resourceId ?? null,
      summary: input.summary.slice(0, 500),
      reason,
      riskLevel: input.risk.level,
      riskReasons: input.risk.reasons,
    },
    CHANGE_REQUEST_DAYS,
  );
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "change_request",
    resourceId: request.id,
    variableId: input.variableId ?? null,
    riskLevel: input.risk.level,
    details: { action: input.action, summary: input.summary, reason, risk: input.risk.reasons },
  });
  return { status: "requested", requestId: request.id, riskLevel: input.risk.level };
}
