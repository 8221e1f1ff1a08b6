import type { Tx } from "@/db/client";
import { setLocal, type TenantContext } from "@/db/context";
import {
  type ChangeRequest,
  closePendingRequest,
  lockRequest,
  markRequestApproved,
  requestItemsWithVariables,
  userEmail,
} from "@/db/repos/approvals";
import { environmentInOrg } from "@/db/repos/grants";
import { type OrgVault, orgVault } from "@/db/vault";
import { canApprove, currentStatus, decisionRefusal } from "@/lib/approvals";
import { AppError } from "@/lib/errors";
import type { RiskLevel } from "@/lib/risk";
import type { ChangeSource } from "@/server/approvals/change-request-open";
import { runDeferred } from "@/server/approvals/deferred-changes";
import { writeAudit } from "@/server/audit/audit";
import { currentValues, type ValueWrite, writeValues } from "@/server/values/value-writes";

type Request = ChangeRequest;

/** The request, locked for this transaction so two reviewers cannot decide it at once. */
async function lockedRequest(tx: Tx, ctx: TenantContext, id: string): Promise<Request> {
  const row = await lockRequest(tx, ctx.organizationId, id);
  if (!row) throw new AppError("not_found");
  return row;
}

type Closing = "stale" | "expired" | "cancelled" | "rejected";

/** Closes a pending request without applying it, with its audit row. */
async function close(tx: Tx, ctx: TenantContext, request: Request, status: Closing, details = {}) {
  await closePendingRequest(tx, request.id, status, {
    decidedBy: ctx.userId,
    decisionNote: "note" in details ? (details.note as string | null) : null,
  });
  await writeAudit(tx, ctx, {
    action: status === "rejected" ? "reject" : "update",
    resourceType: "change_request",
    resourceId: request.id,
    environmentId: request.environmentId,
    riskLevel: request.riskLevel as RiskLevel,
    details: { status, requested_by: request.requestedBy, ...details },
  });
}

/** Refuses the caller's decision with a clear reason; an expired request is marked so first. */
async function checkDecision(tx: Tx, ctx: TenantContext, request: Request) {
  const status = currentStatus(request, new Date());
  const refusal = decisionRefusal(ctx, { requestedBy: request.requestedBy, status });
  if (!refusal) return null;
  if (status === "expired" && request.status === "pending" && canApprove(ctx.role)) {
    await close(tx, ctx, request, "expired");
    return { status: "expired" as const };
  }
  if (status !== "pending") throw new AppError("conflict:decided", { form: [refusal] });
  throw new AppError("forbidden", { form: [refusal] });
}

export type Decision =
  | { status: "approved"; applied: number }
  | { status: "rejected" }
  | { status: "stale"; moved: string[] }
  | { status: "expired" };

/**
 * Approves a request and applies it in the same transaction (through the one value write path, admitted by
 * the approved request in the database); or marks it stale, applying nothing, if a value it was based on
 * moved since it was asked for. Only an owner, admin or security reviewer who did not ask for it may approve.
 */
export async function approveChangeRequest(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; note?: string },
): Promise<Decision> {
  const request = await lockedRequest(tx, ctx, input.id);
  const early = await checkDecision(tx, ctx, request);
  if (early) return early;
  if (request.action !== "values" || !request.environmentId)
    return approveDeferred(tx, ctx, request, input.note);
  const env = await environmentInOrg(tx, ctx, request.environmentId);
  const items = await requestItemsWithVariables(tx, request.id);
  const gone = items.filter((i) => i.variable.deletedAt).map((i) => i.variable.name);
  const current = await currentValues(
    tx,
    env.id,
    items.map((i) => i.variable.id),
  );
  const moved = items
    .filter((i) => (current.get(i.variable.id)?.version ?? 0) !== i.item.baseVersion)
    .map((i) => i.variable.name);
  if (moved.length > 0 || gone.length > 0) {
    await close(tx, ctx, request, "stale", { moved: [...moved, ...gone] });
    return { status: "stale", moved: [...moved, ...gone] };
  }
  try {
    // A savepoint: if a value moves between the check above and the writes, nothing of it stays.
    return await tx.transaction(async (sp) =>
      applyApproved(sp, ctx, request, env, items, current, input.note),
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === "conflict:version")) throw error;
    const names = ((error.meta?.conflicts as { name: string }[] | undefined) ?? []).map((c) => c.name);
    await close(tx, ctx, request, "stale", { moved: names });
    return { status: "stale", moved: names };
  }
}

/** Marks the request approved by the caller in this transaction: the database then admits its writes. */
async function markApproved(tx: Tx, ctx: TenantContext, request: Request, note: string | undefined) {
  await markRequestApproved(tx, request.id, { decidedBy: ctx.userId, decisionNote: note ?? null });
  await setLocal(tx, "app.change_request_id", request.id);
  await setLocal(tx, "app.risk_level", request.riskLevel);
}

const GONE: Record<string, string> = {
  "conflict:version": "it changed since the request was made",
  not_found: "it no longer exists",
  "conflict:exists": "its new name is taken",
};

/** Approves a deferred console change: replays it in a savepoint, or marks the request stale. */
async function approveDeferred(
  tx: Tx,
  ctx: TenantContext,
  request: Request,
  note: string | undefined,
): Promise<Decision> {
  try {
    return await tx.transaction(async (sp) => {
      await markApproved(sp, ctx, request, note);
      await runDeferred(sp, ctx, request);
      await writeAudit(sp, ctx, {
        action: "approve",
        resourceType: "change_request",
        resourceId: request.id,
        riskLevel: request.riskLevel as RiskLevel,
        details: {
          action: request.action,
          summary: request.summary,
          requested_by: request.requestedBy,
          note: note ?? null,
        },
      });
      return { status: "approved" as const, applied: 1 };
    });
  } catch (error) {
    const why = error instanceof AppError ? GONE[error.code] : undefined;
    if (!why) throw error;
    await close(tx, ctx, request, "stale", { moved: [why] });
    return { status: "stale", moved: [why] };
  }
}

async function applyApproved(
  tx: Tx,
  ctx: TenantContext,
  request: Request,
  env: Awaited<ReturnType<typeof environmentInOrg>>,
  items: Awaited<ReturnType<typeof requestItemsWithVariables>>,
  current: Awaited<ReturnType<typeof currentValues>>,
  note: string | undefined,
): Promise<Decision> {
  await markApproved(tx, ctx, request, note);
  // A proposed value that is already the current one (its requester could not see that) is not written: no
  // new version and no value audit row for a change that changes nothing; the approval names it.
  const unchanged = items.filter(
    (i) => i.item.operation === "set" && i.item.newValueHash === current.get(i.variable.id)?.valueHash,
  );
  const requester = await userEmail(tx, request.requestedBy);
  const valueNote = (itemNote: string | null) =>
    `Change request ${request.id.slice(0, 8)} by ${requester ?? "?"}: ${itemNote ?? request.reason}`.slice(
      0,
      500,
    );
  const vault = await orgVault(tx, ctx.organizationId);
  // Sets and deletes go through the one write path together, carrying the request: the gate verifies it covers
  // exactly these rows and writes the approved ciphertext itself.
  const writes: ValueWrite[] = items
    .filter((i) => !unchanged.includes(i))
    .map(({ item, variable }) => ({
      variable,
      value: item.operation === "delete" ? null : openProposal(vault, item, variable.id, env.id, ctx),
      expectedVersion: item.baseVersion,
      note: valueNote(item.note),
    }));
  await writeValues(tx, ctx, env, writes, {
    approval: { requestId: request.id },
    fieldFor: (w) => w.variable.name,
    source: request.source as ChangeSource,
  });
  await writeAudit(tx, ctx, {
    action: "approve",
    resourceType: "change_request",
    resourceId: request.id,
    environmentId: env.id,
    variableId: items.length === 1 ? items[0].variable.id : null,
    riskLevel: request.riskLevel as RiskLevel,
    details: {
      environment: env.name,
      requested_by: request.requestedBy,
      applied: items.length - unchanged.length,
      ...(unchanged.length > 0 ? { unchanged: unchanged.map((i) => i.variable.name) } : {}),
      note: note ?? null,
    },
  });
  return { status: "approved", applied: items.length - unchanged.length };
}

/**
 * A proposed value, decrypted for its checks (its AAD binds it to its row): one that does not open was altered
 * where it is stored, and the request is refused, never applied.
 */
function openProposal(
  vault: OrgVault,
  item: { newEncryptedValue: string | null; encryptionKeyId: string | null },
  variableId: string,
  environmentId: string,
  ctx: TenantContext,
) {
  try {
    const sealed = { ciphertext: item.newEncryptedValue as string, keyId: item.encryptionKeyId as string };
    return vault.decryptValue(sealed, { organizationId: ctx.organizationId, variableId, environmentId });
  } catch {
    throw new AppError("invalid:change_request", { form: ["A proposed value does not open for its row"] });
  }
}

/** Rejects a request with a note for the requester; nothing changes in the environment. */
export async function rejectChangeRequest(
  tx: Tx,
  ctx: TenantContext,
  input: { id: string; note: string },
): Promise<Decision> {
  const request = await lockedRequest(tx, ctx, input.id);
  const early = await checkDecision(tx, ctx, request);
  if (early) return early;
  await close(tx, ctx, request, "rejected", { note: input.note });
  return { status: "rejected" };
}

/** The requester withdraws their own pending request. */
export async function cancelChangeRequest(tx: Tx, ctx: TenantContext, input: { id: string }) {
  const request = await lockedRequest(tx, ctx, input.id);
  if (request.requestedBy !== ctx.userId)
    throw new AppError("forbidden", { form: ["Only the person who asked can withdraw a request"] });
  if (currentStatus(request, new Date()) !== "pending")
    throw new AppError("conflict:decided", { form: [`This request is already ${request.status}`] });
  await close(tx, ctx, request, "cancelled");
  return { status: "cancelled" as const };
}
