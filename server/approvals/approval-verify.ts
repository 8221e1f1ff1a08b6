import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { requestForGate, requestItemsForGate } from "@/db/repos/approvals";
import { type ApprovalExpectation, approvalRefusal, type StoredApproval } from "@/lib/approval-check";
import { AppError } from "@/lib/errors";

/**
 * The gate's own reading of an approval carried into it (a change request's id). Nothing is taken on trust:
 * the request must be in this organization, approved by the caller in this very transaction (so never replayed
 * after it applied), not the caller's own, not expired, of this kind and for this environment or row.
 */
export async function verifiedRequest(
  tx: Tx,
  ctx: TenantContext,
  requestId: string,
  expect: Omit<ApprovalExpectation, "organizationId" | "userId">,
) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(requestId);
  const row = !uuid ? undefined : await requestForGate(tx, ctx.organizationId, requestId);
  const stored: StoredApproval | undefined = row;
  const refusal = approvalRefusal(
    stored,
    { ...expect, organizationId: ctx.organizationId, userId: ctx.userId },
    row?.now ?? new Date(),
  );
  if (refusal) throw new AppError("approval_required", { form: [refusal] });
  return row;
}

/** A value change request's items, as the gate compares them with the batch it is asked to admit. */
export async function approvedItems(tx: Tx, requestId: string) {
  return requestItemsForGate(tx, requestId);
}
