import "server-only";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { users, weddingPrechecks } from "@/db/schema";
import type { PrecheckTrigger } from "@/lib/precheck";

/**
 * The pre-check's runs (migration 0049). `record_wedding_precheck` counts and records in one call — the caller
 * names only the window, and the job runner's proof for scheduled and operators' runs; it answers null when the
 * window's scheduled run already exists.
 */
export async function recordPrecheck(
  tx: Tx,
  run: { proof: string | null; trigger: PrecheckTrigger; startsAt: Date; endsAt: Date },
): Promise<string | null> {
  const [row] = await tx.execute<{ id: string | null }>(sql`
    select record_wedding_precheck(${run.proof}, ${run.trigger}, ${run.startsAt.toISOString()}::timestamptz,
                                   ${run.endsAt.toISOString()}::timestamptz) as id`);
  return row?.id ?? null;
}

const columns = {
  id: weddingPrechecks.id,
  organizationId: weddingPrechecks.organizationId,
  windowStartsAt: weddingPrechecks.windowStartsAt,
  windowEndsAt: weddingPrechecks.windowEndsAt,
  ranAt: weddingPrechecks.ranAt,
  trigger: weddingPrechecks.runTrigger,
  requestedBy: users.email,
  attention: weddingPrechecks.attention,
  report: weddingPrechecks.report,
};

export type PrecheckRun = Awaited<ReturnType<typeof latestPrecheck>>;

/** The organization's latest run for the window that ends then (a window since moved or removed is not it). */
export async function latestPrecheck(tx: Tx, organizationId: string, windowEndsAt: Date) {
  const [row] = await tx
    .select(columns)
    .from(weddingPrechecks)
    .leftJoin(users, eq(users.id, weddingPrechecks.requestedBy))
    .where(
      and(
        eq(weddingPrechecks.organizationId, organizationId),
        eq(weddingPrechecks.windowEndsAt, windowEndsAt),
      ),
    )
    .orderBy(desc(weddingPrechecks.ranAt))
    .limit(1);
  return row ?? null;
}

/** Operators: each organization's latest run for a window that has not ended (RLS: operators read every row). */
export async function latestPrechecks(db: Tx | Database, now: Date) {
  return db
    .selectDistinctOn([weddingPrechecks.organizationId], columns)
    .from(weddingPrechecks)
    .leftJoin(users, eq(users.id, weddingPrechecks.requestedBy))
    .where(gt(weddingPrechecks.windowEndsAt, now))
    .orderBy(weddingPrechecks.organizationId, desc(weddingPrechecks.ranAt));
}
