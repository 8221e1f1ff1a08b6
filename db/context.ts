import { sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { noteDatabaseOutcome } from "./availability";
import { type Database, getDb, type Tx } from "./client";
import { databaseErrorCode, isDatabaseUnavailable } from "./errors";
import { noteWrite, replicaConfigured } from "./replica";

/** Who is asking, for RLS (set per transaction) and for the audit rows written in it. */
export type RequestContext = {
  userId: string;
  organizationId?: string;
  role?: Role;
  sessionId?: string;
  ip?: string;
  userAgent?: string;
  emergencySessionId?: string;
};

export type TenantContext = RequestContext & { organizationId: string; role: Role };

/**
 * Runs `fn` in one transaction whose RLS context is the caller: policies read these settings, and the
 * audit triggers record them. Everything inside commits or rolls back together. How it ended is noted for
 * /api/health and the console's pages (db/availability.ts).
 */
export async function withContext<T>(
  ctx: RequestContext,
  fn: (tx: Tx) => Promise<T>,
  database: Database = getDb(),
  options: WriteNoting = {},
): Promise<T> {
  const shared = (ctx as Shares)[SHARED];
  if (shared && shared.database === database && sameSettings(shared.ctx, ctx)) return fn(shared.tx);
  const startedAt = Date.now();
  try {
    const result = await contextTransaction(database, ctx, fn, options);
    noteDatabaseOutcome(undefined, startedAt);
    return result;
  } catch (error) {
    noteDatabaseOutcome(error, startedAt);
    throw error;
  }
}

/**
 * `noteWrites: false`: what this transaction writes is no read's business (a machine read's own audit row and use
 * count), so it does not send this instance's next reads of the organization to the primary.
 */
export type WriteNoting = { noteWrites?: boolean };

/** How long a transaction that could not begin waits before its one more try. */
export const BEGIN_RETRY_MS = 200;

/**
 * One transaction with the caller's settings. When it fails to reach the database before it began (the
 * connection could not be made, was refused while the server was starting, or was found closed at BEGIN),
 * nothing of `fn` has run, so it is tried once more on another connection a moment later: after a database
 * restart the pool holds connections that fail once, and a request should not fail for that. A failure after
 * it began is never retried (what `fn` did, and whether COMMIT landed, is unknown).
 */
export async function contextTransaction<T>(
  database: Database,
  ctx: RequestContext,
  fn: (tx: Tx) => Promise<T>,
  options: WriteNoting = {},
): Promise<T> {
  // With a replica (db/replica.ts), a transaction that wrote for an organization is noted after it commits, so
  // this instance's next reads for it wait for the replica to replay it (read-your-writes).
  const noting =
    options.noteWrites !== false && replicaConfigured() && ctx.organizationId && database === getDb();
  for (let attempt = 1; ; attempt++) {
    let began = false;
    try {
      let wrote = false;
      const result = await database.transaction(async (tx) => {
        await setContext(tx, ctx);
        began = true;
        const value = await fn(tx);
        if (noting) {
          const [row] = await tx.execute<{ wrote: boolean }>(
            sql`select txid_current_if_assigned() is not null as wrote`,
          );
          wrote = row.wrote;
        }
        return value;
      });
      if (wrote && ctx.organizationId) await noteWrite(ctx.organizationId);
      return result;
    } catch (error) {
      if (began || attempt > 1 || !isDatabaseUnavailable(error)) throw error;
      await new Promise((r) => setTimeout(r, BEGIN_RETRY_MS));
    }
  }
}

const SHARED = Symbol("the transaction a page's reads share");
type Shares = { [SHARED]?: { tx: Tx; ctx: RequestContext; database: Database } };

const SETTINGS = ["userId", "organizationId", "sessionId", "ip", "userAgent", "emergencySessionId"] as const;
const sameSettings = (a: RequestContext, b: RequestContext) => SETTINGS.every((k) => a[k] === b[k]);

/**
 * Runs a page's reads in one transaction. `fn` receives the caller's context with that transaction attached:
 * each query helper given it (they all go through withContext) runs its statements in the shared transaction
 * instead of opening its own, so a page costs one round of BEGIN/set_config/COMMIT, not one per helper. A
 * context copied with different settings (another organization, no emergency session) opens its own, as before.
 * For reads only: pass the original context, never this one, to anything that writes.
 */
export async function withReads<C extends RequestContext, T>(
  ctx: C,
  fn: (reads: C) => Promise<T>,
  database: Database = getDb(),
): Promise<T> {
  return withContext(ctx, (tx) => fn({ ...ctx, [SHARED]: { tx, ctx, database } }), database);
}

export async function setContext(tx: Tx, ctx: RequestContext) {
  await tx
    .execute(sql`select
    set_config('app.user_id', ${ctx.userId}, true),
    set_config('app.organization_id', ${ctx.organizationId ?? ""}, true),
    set_config('app.session_id', ${ctx.sessionId ?? ""}, true),
    set_config('app.ip', ${ctx.ip ?? ""}, true),
    set_config('app.user_agent', ${ctx.userAgent ?? ""}, true),
    set_config('app.emergency_session_id', ${ctx.emergencySessionId ?? ""}, true),
    app_org_gate(nullif(${ctx.organizationId ?? ""}, '')::uuid)`)
    .catch((error: unknown) => {
      // The organization was deleted (migration 0051): it no longer exists for anyone.
      if (databaseErrorCode(error) === "RBO01") throw new AppError("not_found");
      throw error;
    });
}

/**
 * Sets a per-transaction setting the triggers and policies read (risk, delete note, approved request, and
 * `app.value_action` = `restore` while a restore writes, cleared after; `ringbearer.key_rotation` names the
 * rotation whose re-encryption the transaction writes, migration 0037).
 */
export async function setLocal(
  tx: Tx,
  name:
    | "app.risk_level"
    | "app.change_note"
    | "app.change_request_id"
    | "app.value_action"
    | "ringbearer.key_rotation"
    | "ringbearer.hash_swap",
  value: string,
) {
  await tx.execute(sql`select set_config(${name}, ${value}, true)`);
}
