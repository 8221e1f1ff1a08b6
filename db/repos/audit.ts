import "server-only";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environments, environmentVariableAudit, environmentVariables, users } from "@/db/schema";
import type { AuditFilters } from "@/lib/validation/audit";

const a = environmentVariableAudit;

/** What a row says it did: its details with the e-mail addresses it mentions (kept apart, erasable: 0052). */
export const auditDetails = sql<
  Record<string, unknown>
>`(${a.changeDetails} || coalesce(${a.personalDetails}, '{}'::jsonb))`;

const columns = {
  id: a.id,
  seq: a.seq,
  action: a.action,
  resourceType: a.resourceType,
  resourceId: a.resourceId,
  variable: environmentVariables.name,
  environment: environments.name,
  user: users.email,
  riskLevel: a.riskLevel,
  emergency: a.emergency,
  details: auditDetails,
  erasedAt: a.erasedAt,
  securityContext: a.securityContext,
  previousValueHash: a.previousValueHash,
  newValueHash: a.newValueHash,
  ipAddress: a.ipAddress,
  userAgent: a.userAgent,
  sessionId: a.sessionId,
  rowHash: a.rowHash,
  createdAt: a.createdAt,
};

/** The explorer's filters as SQL; dates are days in the organization's time zone. */
function where(ctx: TenantContext, f: Partial<AuditFilters>, timeZone: string): SQL[] {
  const w: SQL[] = [eq(a.organizationId, ctx.organizationId)];
  if (f.user) w.push(sql`${a.userId} = (select id from users where email = ${f.user.toLowerCase()})`);
  if (f.action) w.push(eq(a.action, f.action));
  if (f.resource) w.push(eq(a.resourceType, f.resource));
  if (f.variable)
    w.push(
      sql`${a.variableId} in (select id from environment_variables where organization_id = ${ctx.organizationId} and name = ${f.variable})`,
    );
  if (f.environment)
    w.push(
      sql`${a.environmentId} = (select id from environments where organization_id = ${ctx.organizationId} and name = ${f.environment})`,
    );
  if (f.risk) w.push(eq(a.riskLevel, f.risk));
  if (f.emergency) w.push(eq(a.emergency, true));
  if (f.from) w.push(sql`${a.createdAt} >= (${f.from}::date)::timestamp at time zone ${timeZone}`);
  if (f.to) w.push(sql`${a.createdAt} < (${f.to}::date + 1)::timestamp at time zone ${timeZone}`);
  return w;
}

function select(tx: Tx) {
  return tx
    .select(columns)
    .from(a)
    .leftJoin(environmentVariables, eq(environmentVariables.id, a.variableId))
    .leftJoin(environments, eq(environments.id, a.environmentId))
    .leftJoin(users, eq(users.id, a.userId));
}

export type AuditRow = Awaited<ReturnType<typeof auditBatch>>[number];

/** Newest first, keyset-paginated by `seq` (`before`), so page 1,000 is as fast as page 1. */
export async function auditBatch(
  tx: Tx,
  ctx: TenantContext,
  f: Partial<AuditFilters>,
  timeZone: string,
  limit: number,
) {
  const w = where(ctx, f, timeZone);
  if (f.before) w.push(sql`${a.seq} < ${f.before}`);
  return select(tx)
    .where(and(...w))
    .orderBy(desc(a.seq))
    .limit(limit);
}

/** Activity per day and action: the filtered rows of the last `days` days (or the range). */
export async function auditActivityRows(
  tx: Tx,
  ctx: TenantContext,
  f: Partial<AuditFilters>,
  timeZone: string,
  days: number,
) {
  const w = where(ctx, f, timeZone);
  if (!f.from) w.push(sql`${a.createdAt} >= now() - make_interval(days => ${days})`);
  return tx
    .select({
      day: sql<string>`((${a.createdAt} at time zone ${timeZone})::date)::text`,
      action: a.action,
      n: sql<number>`count(*)::int`,
    })
    .from(a)
    .where(and(...w))
    .groupBy(sql`1`, a.action)
    .orderBy(sql`1`);
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

/**
 * The audit's monthly partitions (0054): this month's and the next three, and any month the default partition
 * took rows for. Returns how many were made (0 once they exist).
 */
export async function ensureAuditPartitions(database: Database): Promise<number> {
  const [row] = await database.execute<{ made: number }>(sql`select audit_ensure_partitions() as made`);
  return Number(row.made);
}
