import "server-only";
import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type TenantContext, withContext } from "@/db/context";
import {
  changeRequestItems,
  changeRequests,
  environments,
  environmentVariables,
  environmentVariableValues,
  users,
} from "@/db/schema";
import { anyUuid } from "@/db/sql-lists";
import { type ChangeRequestStatus, currentStatus } from "@/lib/approvals";
import type { RiskLevel } from "@/lib/risk";

const ITEMS_SHOWN = 25;
const decider = alias(users, "decider");

export type QueueFilter = "pending" | "mine" | "decided";

/** A request that waits for a decision: pending and not expired, in the caller's organization. */
const waiting = (ctx: TenantContext) => [
  eq(changeRequests.organizationId, ctx.organizationId),
  eq(changeRequests.status, "pending"),
  gt(changeRequests.expiresAt, sql`now()`),
];

/**
 * Change requests for the approvals page, newest decisions or oldest waiting first, each with its first
 * items: what changes (hashes only, never a value), the version it was based on and where that value is now.
 */
export async function changeRequestList(ctx: TenantContext, filter: QueueFilter, limit = 50) {
  return withContext(ctx, async (tx) => {
    const where =
      filter === "pending"
        ? and(...waiting(ctx))
        : filter === "mine"
          ? and(
              eq(changeRequests.organizationId, ctx.organizationId),
              eq(changeRequests.requestedBy, ctx.userId),
            )
          : and(eq(changeRequests.organizationId, ctx.organizationId), ne(changeRequests.status, "pending"));
    const requests = await tx
      .select({
        id: changeRequests.id,
        environmentId: changeRequests.environmentId,
        environment: environments.name,
        requestedBy: changeRequests.requestedBy,
        requester: users.email,
        source: changeRequests.source,
        action: changeRequests.action,
        summary: changeRequests.summary,
        reason: changeRequests.reason,
        riskLevel: changeRequests.riskLevel,
        riskReasons: changeRequests.riskReasons,
        status: changeRequests.status,
        createdAt: changeRequests.createdAt,
        expiresAt: changeRequests.expiresAt,
        decider: decider.email,
        decidedAt: changeRequests.decidedAt,
        decisionNote: changeRequests.decisionNote,
        itemCount: sql<number>`(select count(*)::int from ${changeRequestItems} where ${changeRequestItems.changeRequestId} = ${changeRequests.id})`,
      })
      .from(changeRequests)
      .leftJoin(environments, eq(environments.id, changeRequests.environmentId))
      .innerJoin(users, eq(users.id, changeRequests.requestedBy))
      .leftJoin(decider, eq(decider.id, changeRequests.decidedBy))
      .where(where)
      .orderBy(filter === "pending" ? changeRequests.createdAt : desc(changeRequests.createdAt))
      .limit(limit);
    if (requests.length === 0) return [];
    const items = await tx.execute<{
      change_request_id: string;
      variable_id: string;
      name: string;
      operation: "set" | "delete";
      base_version: number;
      base_value_hash: string | null;
      new_value_hash: string | null;
      validation_status: string | null;
      risk_level: RiskLevel;
      current_version: number | null;
      current_hash: string | null;
      readable: boolean;
    }>(sql`
      select i.change_request_id, i.variable_id, v.name, i.operation, i.base_version, i.base_value_hash,
             i.new_value_hash, i.validation_status, i.risk_level, cur.version as current_version,
             cur.value_hash as current_hash,
             app_value_permission(i.variable_id, i.environment_id) >= 1 as readable
        from (select *, row_number() over (partition by change_request_id order by variable_id) as n
                from ${changeRequestItems}
               where change_request_id = ${anyUuid(requests.map((r) => r.id))}) i
        join ${environmentVariables} v on v.id = i.variable_id
        left join ${environmentVariableValues} cur
          on cur.variable_id = i.variable_id and cur.environment_id = i.environment_id
       where i.n <= ${ITEMS_SHOWN}
       order by v.name`);
    const now = new Date();
    return requests.map((r) => ({
      ...r,
      riskLevel: r.riskLevel as RiskLevel,
      riskReasons: r.riskReasons as string[],
      status: currentStatus(r, now) as ChangeRequestStatus,
      items: items
        .filter((i) => i.change_request_id === r.id)
        .map((i) => ({
          variableId: i.variable_id,
          name: i.name,
          operation: i.operation,
          baseVersion: i.base_version,
          baseHash: i.base_value_hash,
          newHash: i.new_value_hash,
          validationStatus: i.validation_status,
          riskLevel: i.risk_level,
          currentVersion: i.current_version ?? 0,
          currentHash: i.current_hash,
          /** The viewer may read values there, so may reveal the proposal (audited). */
          readable: i.readable,
        })),
    }));
  });
}

export type ChangeRequestRow = Awaited<ReturnType<typeof changeRequestList>>[number];

/** How many requests wait for a decision; with `notMine`, only those the caller did not ask for. */
async function waitingCount(ctx: TenantContext, notMine: boolean): Promise<number> {
  const [row] = await withContext(ctx, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(changeRequests)
      .where(and(...waiting(ctx), notMine ? ne(changeRequests.requestedBy, ctx.userId) : undefined)),
  );
  return row.n;
}

/** Every pending, unexpired request (the approvals queue shows the oldest first and says how many wait). */
export async function pendingRequestCount(ctx: TenantContext): Promise<number> {
  return waitingCount(ctx, false);
}

/** Requests the caller could decide now (pending, not expired, not their own): the Approvals badge. */
export async function decidableRequestCount(ctx: TenantContext): Promise<number> {
  return waitingCount(ctx, true);
}

/** Pending requests touching one variable, per environment (the variable page says a change is waiting). */
export async function pendingForVariable(ctx: TenantContext, variableId: string) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: changeRequests.id,
        environmentId: changeRequests.environmentId,
        requester: users.email,
        riskLevel: changeRequests.riskLevel,
        operation: changeRequestItems.operation,
        createdAt: changeRequests.createdAt,
      })
      .from(changeRequestItems)
      .innerJoin(changeRequests, eq(changeRequests.id, changeRequestItems.changeRequestId))
      .innerJoin(users, eq(users.id, changeRequests.requestedBy))
      .where(and(eq(changeRequestItems.variableId, variableId), ...waiting(ctx)))
      .orderBy(changeRequests.createdAt),
  );
}
