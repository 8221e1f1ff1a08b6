/**
 * Pure rules by which the write gate verifies an approval carried into it (a change request's id): the gate
 * never takes an approval on trust, it reads the request and asks these. No I/O here: the callers load the rows.
 */

/** The stored request as the gate reads it, `approvedHere` = decided in the current transaction. */
export type StoredApproval = {
  organizationId: string;
  requestedBy: string;
  decidedBy: string | null;
  status: string;
  action: string;
  environmentId: string | null;
  resourceId: string | null;
  expiresAt: Date;
  approvedHere: boolean;
};

/** What the write being admitted is: who writes, which kind of change, where. */
export type ApprovalExpectation = {
  organizationId: string;
  userId: string;
  action: string;
  /** The environment of a value change (action `values`). */
  environmentId?: string | null;
  /** The row of a deferred console change (null where the request names none). */
  resourceId?: string | null;
};

/** Why the approval does not admit this write, or null if it does. */
export function approvalRefusal(
  request: StoredApproval | undefined,
  expect: ApprovalExpectation,
  now: Date,
): string | null {
  if (!request || request.organizationId !== expect.organizationId)
    return "There is no such change request in this organization";
  if (request.status !== "approved") return `The change request is ${request.status}, not approved`;
  // Approved by the caller in this very transaction: an old approval (already applied) is never replayed.
  if (!request.approvedHere || request.decidedBy !== expect.userId)
    return "The change request was not approved by you in this transaction";
  if (request.requestedBy === expect.userId) return "The requester cannot approve their own change request";
  if (request.expiresAt <= now) return "The change request has expired";
  if (request.action !== expect.action) return "The change request is for another kind of change";
  if (expect.environmentId !== undefined && request.environmentId !== expect.environmentId)
    return "The change request is for another environment";
  if (expect.resourceId !== undefined && request.resourceId !== expect.resourceId)
    return "The change request is for another row";
  return null;
}

export type ApprovedItem = {
  variableId: string;
  environmentId: string;
  operation: string;
  baseVersion: number;
  newValueHash: string | null;
};

/** One write of the batch being admitted; `valueHash` = the HMAC of the value to set (null for a delete). */
export type CoveredWrite = {
  variableId: string;
  operation: "set" | "delete";
  expectedVersion: number;
  valueHash: string | null;
};

/**
 * Whether the approved items cover exactly this batch: each write is an item of the request (same variable,
 * environment, operation, base version and, for a set, the same value), no write is repeated, and an item left
 * out is one that would change nothing (its value is already the current one).
 */
export function coverageRefusal(
  items: ApprovedItem[],
  writes: CoveredWrite[],
  environmentId: string,
  currentHash: Map<string, string | null>,
): string | null {
  if (items.some((i) => i.environmentId !== environmentId))
    return "An item of the change request is for another environment";
  const byVariable = new Map(items.map((i) => [i.variableId, i]));
  const seen = new Set<string>();
  for (const w of writes) {
    const item = byVariable.get(w.variableId);
    if (!item || seen.has(w.variableId)) return "The change request does not cover these rows";
    seen.add(w.variableId);
    if (item.operation !== w.operation || item.baseVersion !== w.expectedVersion)
      return "The change request does not cover these rows";
    if (w.operation === "set" && (item.newValueHash === null || item.newValueHash !== w.valueHash))
      return "The value is not the one that was approved";
  }
  for (const item of items) {
    if (seen.has(item.variableId)) continue;
    const unchanged = item.operation === "set" && item.newValueHash === currentHash.get(item.variableId);
    if (!unchanged) return "The change request does not cover these rows";
  }
  return null;
}
