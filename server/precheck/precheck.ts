import type { Database, Tx } from "@/db/client";
import { getDb } from "@/db/client";
import { type RequestContext, type TenantContext, withContext } from "@/db/context";
import { jobContexts, jobRunnerProofNow } from "@/db/job-contexts";
import { precheckWindow } from "@/db/repos/integration-precheck";
import { insertOpsEvent } from "@/db/repos/operators";
import { latestPrecheck, latestPrechecks, recordPrecheck } from "@/db/repos/prechecks";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/policy";
import {
  checklist,
  PRECHECK_LEAD_HOURS,
  PRECHECK_LOOKAHEAD_HOURS,
  PRECHECK_SHOW_HOURS,
} from "@/lib/precheck";
import { requireCapability } from "@/server/authz";
import { operatorName, requireOperator } from "@/server/ops/operators";

/**
 * The Saturday pre-check (issue 17). Scheduled: once per wedding-hours window, PRECHECK_LEAD_HOURS before it
 * opens (Friday for Saturday's weddings), in each organization's job context. On demand: a member with
 * `precheck:run` from the dashboard, or an operator for every organization from /ops. Each run is recorded and
 * sent as a `precheck.completed` webhook event by the database (migration 0049), which counts by itself.
 */

/**
 * The dashboard's section: from PRECHECK_SHOW_HOURS before wedding hours until they end, the window and its
 * latest run (a run for a window since moved or removed is not shown).
 */
export async function precheckSummary(tx: Tx, ctx: TenantContext, now = new Date()) {
  const window = await precheckWindow(tx, ctx.organizationId, now, PRECHECK_SHOW_HOURS);
  if (!window) return null;
  const run = await latestPrecheck(tx, ctx.organizationId, window.endsAt);
  const scheduledAt = new Date(window.startsAt.getTime() - PRECHECK_LEAD_HOURS * 3_600_000);
  return {
    window: run ? { startsAt: run.windowStartsAt, endsAt: run.windowEndsAt } : window,
    run: run ? { ...run, checklist: checklist(run.report) } : null,
    scheduledAt: scheduledAt > now ? scheduledAt : null,
    canRun: can(ctx.role, "precheck:run"),
  };
}

/** A member runs it now, for the next window within a week (at most once a minute: the database's rule). */
export async function runPrecheckNow(tx: Tx, ctx: TenantContext, now = new Date()) {
  requireCapability(ctx, "precheck:run");
  const window = await precheckWindow(tx, ctx.organizationId, now, PRECHECK_LOOKAHEAD_HOURS);
  if (!window) throw new AppError("conflict:no_window");
  const id = await recordPrecheck(tx, { proof: null, trigger: "on_demand", ...window });
  return { id, startsAt: window.startsAt.toISOString() };
}

/**
 * The job (every 15 minutes): each organization whose next window opens within PRECHECK_LEAD_HOURS gets its
 * scheduled run, once per window (a window already in force is past checking).
 */
export async function scheduledPrechecks(database: Database = getDb(), now = new Date()) {
  return recordForEach(database, now, "scheduled", PRECHECK_LEAD_HOURS);
}

/** An operator runs it for every organization with a window within a week; logged. */
export async function operatorPrechecks(ctx: RequestContext, now = new Date()) {
  const actor = await withContext({ userId: ctx.userId }, (tx) => operatorName(tx, ctx));
  const outcome = await recordForEach(getDb(), now, "operator", PRECHECK_LOOKAHEAD_HOURS);
  await withContext({ userId: ctx.userId }, (tx) =>
    insertOpsEvent(tx, { actor, action: "precheck.run", details: outcome }),
  );
  return outcome;
}

async function recordForEach(
  database: Database,
  now: Date,
  trigger: "scheduled" | "operator",
  hours: number,
) {
  const proof = jobRunnerProofNow();
  let recorded = 0;
  const contexts = await jobContexts(database);
  for (const ctx of contexts) {
    const done = await withContext(
      ctx,
      async (tx) => {
        const window = await precheckWindow(tx, ctx.organizationId, now, hours);
        if (!window || (trigger === "scheduled" && window.startsAt <= now)) return false;
        return (await recordPrecheck(tx, { proof, trigger, ...window })) !== null;
      },
      database,
    );
    if (done) recorded++;
  }
  return { organizations: contexts.length, recorded };
}

/** /ops: each organization's latest run for a window that has not ended. */
export async function precheckBoard(ctx: RequestContext, now = new Date()) {
  return withContext({ userId: ctx.userId }, async (tx) => {
    await requireOperator(tx);
    return (await latestPrechecks(tx, now)).map((r) => ({ ...r, checklist: checklist(r.report) }));
  });
}
