import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../client";
import { type TenantContext, withContext } from "../context";
import { environments, environmentVariableAudit, environmentVariables, users } from "../schema";

/** The newest audit rows (metadata and hashes only: audit rows never hold a value). */
export async function recentAudit(ctx: TenantContext, limit = 100) {
  return withContext(ctx, (tx) =>
    tx
      .select({
        id: environmentVariableAudit.id,
        seq: environmentVariableAudit.seq,
        action: environmentVariableAudit.action,
        resourceType: environmentVariableAudit.resourceType,
        variable: environmentVariables.name,
        environment: environments.name,
        user: users.email,
        emergency: environmentVariableAudit.emergency,
        details: environmentVariableAudit.changeDetails,
        newValueHash: environmentVariableAudit.newValueHash,
        createdAt: environmentVariableAudit.createdAt,
      })
      .from(environmentVariableAudit)
      .leftJoin(environmentVariables, eq(environmentVariables.id, environmentVariableAudit.variableId))
      .leftJoin(environments, eq(environments.id, environmentVariableAudit.environmentId))
      .leftJoin(users, eq(users.id, environmentVariableAudit.userId))
      .where(eq(environmentVariableAudit.organizationId, ctx.organizationId))
      .orderBy(desc(environmentVariableAudit.seq))
      .limit(limit),
  );
}

export type ChainVerdict = {
  checked: number;
  brokenSeq: number | null;
  brokenId: string | null;
  reason: string | null;
};

/** Walks the organization's hash chain in the database and names the first broken row, if any. */
export async function verifyChainIn(tx: Tx, organizationId: string): Promise<ChainVerdict> {
  const [row] = await tx.execute<{
    checked: string;
    broken_seq: string | null;
    broken_id: string | null;
    reason: string | null;
  }>(sql`select * from verify_audit_chain(${organizationId})`);
  return {
    checked: Number(row.checked),
    brokenSeq: row.broken_seq === null ? null : Number(row.broken_seq),
    brokenId: row.broken_id,
    reason: row.reason,
  };
}

export async function verifyAuditChain(ctx: TenantContext): Promise<ChainVerdict> {
  return withContext(ctx, (tx) => verifyChainIn(tx, ctx.organizationId));
}
