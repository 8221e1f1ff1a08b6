import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { changeRequestItems, changeRequests, environments, environmentVariables, users } from "@/db/schema";

/**
 * The change request reads and writes made inside a transaction that opens, verifies or decides one (the
 * approvals page's reads are in change-requests.ts).
 */

export type ChangeRequest = typeof changeRequests.$inferSelect;
type NewRequest = typeof changeRequests.$inferInsert;
type NewItem = typeof changeRequestItems.$inferInsert;

/**
 * A request as the gate reads it, in this organization; `approvedHere` says whether it was approved in this very
 * transaction (decided_at = now()) and is the one the transaction's setting names, `now` is the database's time.
 */
export async function requestForGate(tx: Tx, organizationId: string, requestId: string) {
  const [row] = await tx
    .select({
      organizationId: changeRequests.organizationId,
      requestedBy: changeRequests.requestedBy,
      decidedBy: changeRequests.decidedBy,
      status: changeRequests.status,
      action: changeRequests.action,
      environmentId: changeRequests.environmentId,
      resourceId: changeRequests.resourceId,
      expiresAt: changeRequests.expiresAt,
      riskLevel: changeRequests.riskLevel,
      // decided_at = now(): the approval was made in this transaction, and it is the one the database admits.
      approvedHere: sql<boolean>`coalesce(${changeRequests.decidedAt} = now(), false)
        and ${changeRequests.id}::text = current_setting('app.change_request_id', true)`,
      now: sql<Date>`now()`.mapWith(changeRequests.expiresAt),
    })
    .from(changeRequests)
    .where(and(eq(changeRequests.id, requestId), eq(changeRequests.organizationId, organizationId)));
  return row;
}

/** A value change request's items, as the gate compares them with the batch it is asked to admit. */
export async function requestItemsForGate(tx: Tx, requestId: string) {
  return tx
    .select({
      variableId: changeRequestItems.variableId,
      environmentId: changeRequestItems.environmentId,
      operation: changeRequestItems.operation,
      baseVersion: changeRequestItems.baseVersion,
      newValueHash: changeRequestItems.newValueHash,
      newEncryptedValue: changeRequestItems.newEncryptedValue,
      encryptionKeyId: changeRequestItems.encryptionKeyId,
    })
    .from(changeRequestItems)
    .where(eq(changeRequestItems.changeRequestId, requestId));
}

/** A new value change request, expiring `days` from now. */
export async function insertValueRequest(tx: Tx, row: Omit<NewRequest, "expiresAt">, days: number) {
  const [request] = await tx
    .insert(changeRequests)
    .values({ ...row, expiresAt: sql`now() + make_interval(days => ${days})` })
    .returning({ id: changeRequests.id, expiresAt: changeRequests.expiresAt });
  return request;
}

/** A request's items, 1,000 per statement. */
export async function insertRequestItems(tx: Tx, items: NewItem[]) {
  for (let i = 0; i < items.length; i += 1000) {
    await tx.insert(changeRequestItems).values(items.slice(i, i + 1000));
  }
}

/** A new deferred console change request, expiring `days` from now. */
export async function insertDeferredRequest(tx: Tx, row: Omit<NewRequest, "expiresAt">, days: number) {
  const [request] = await tx
    .insert(changeRequests)
    .values({ ...row, expiresAt: sql`now() + make_interval(days => ${days})` })
    .returning({ id: changeRequests.id });
  return request;
}

/** One item of a request in this organization, with its request, variable and environment type. */
export async function proposalForReveal(
  tx: Tx,
  organizationId: string,
  input: { id: string; variableId: string },
) {
  const [row] = await tx
    .select({
      request: changeRequests,
      item: changeRequestItems,
      variable: {
        name: environmentVariables.name,
        isWeddingCritical: environmentVariables.isWeddingCritical,
        securityClassification: environmentVariables.securityClassification,
      },
      environmentType: environments.environmentType,
    })
    .from(changeRequestItems)
    .innerJoin(changeRequests, eq(changeRequests.id, changeRequestItems.changeRequestId))
    .innerJoin(environmentVariables, eq(environmentVariables.id, changeRequestItems.variableId))
    .innerJoin(environments, eq(environments.id, changeRequestItems.environmentId))
    .where(
      and(
        eq(changeRequests.id, input.id),
        eq(changeRequests.organizationId, organizationId),
        eq(changeRequestItems.variableId, input.variableId),
      ),
    );
  return row;
}

/** The request in this organization, locked for this transaction (`for update`). */
export async function lockRequest(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<ChangeRequest | undefined> {
  const [row] = await tx
    .select()
    .from(changeRequests)
    .where(and(eq(changeRequests.id, id), eq(changeRequests.organizationId, organizationId)))
    .for("update");
  return row;
}

/** A request's items with their variables, by variable name. */
export async function requestItemsWithVariables(tx: Tx, requestId: string) {
  return tx
    .select({
      item: changeRequestItems,
      variable: {
        id: environmentVariables.id,
        name: environmentVariables.name,
        variableType: environmentVariables.variableType,
        validationPattern: environmentVariables.validationPattern,
        tags: environmentVariables.tags,
        securityClassification: environmentVariables.securityClassification,
        isWeddingCritical: environmentVariables.isWeddingCritical,
        deletedAt: environmentVariables.deletedAt,
      },
    })
    .from(changeRequestItems)
    .innerJoin(environmentVariables, eq(environmentVariables.id, changeRequestItems.variableId))
    .where(eq(changeRequestItems.changeRequestId, requestId))
    .orderBy(environmentVariables.name);
}

type Decided = { decidedBy: string; decisionNote: string | null };

/** Sets a pending request's closing status (decided now, by `decidedBy`); a request no longer pending stays. */
export async function closePendingRequest(tx: Tx, id: string, status: string, decided: Decided) {
  await tx
    .update(changeRequests)
    .set({
      status,
      decidedBy: decided.decidedBy,
      decidedAt: sql`now()`,
      decisionNote: decided.decisionNote,
      version: sql`${changeRequests.version} + 1`,
    })
    .where(and(eq(changeRequests.id, id), eq(changeRequests.status, "pending")));
}

/** Marks a request approved, decided now by `decidedBy`. */
export async function markRequestApproved(tx: Tx, id: string, decided: Decided) {
  await tx
    .update(changeRequests)
    .set({
      status: "approved",
      decidedBy: decided.decidedBy,
      decidedAt: sql`now()`,
      decisionNote: decided.decisionNote,
      version: sql`${changeRequests.version} + 1`,
    })
    .where(eq(changeRequests.id, id));
}

/** A user's email address, if the user exists. */
export async function userEmail(tx: Tx, userId: string) {
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email;
}
