import { getDb, type Tx } from "@/db/client";
import { contextTransaction, type TenantContext, withContext } from "@/db/context";
import { readDatabase } from "@/db/replica";
import type { EnvironmentRef } from "@/db/repos/grants";
import { recordTokenUse } from "@/db/repos/service-tokens";
import { AppError } from "@/lib/errors";
import { type AuditEntry, writeAudit, writeAudits } from "@/server/audit/audit";
import type { ServiceTokenContext } from "@/server/tokens/service-tokens";

/**
 * Who calls the machine API (server/entry/api-route.ts): a service token, acting as the member who created it
 * within its scope, or a signed-in person with their session, acting as themselves. The same services answer
 * both; only the scope and what is audited differ.
 */
export type ApiCaller =
  | { kind: "token"; token: ServiceTokenContext }
  | { kind: "person"; ctx: TenantContext };

/** What one call did, for the token's one audit row (the token, its resource, is added by asCaller). */
export type TokenUse = Omit<AuditEntry, "resourceType" | "resourceId">;

/**
 * What a call answers, with how it is audited: `use` is the one row naming a token; `audits` are a person's
 * rows, the console's own (a person reading values through the API reveals them, as an export does). Rows
 * the service writes itself (a write's) are audited for both.
 */
export type CallOutcome<T> = { result: T; use: TokenUse; audits?: AuditEntry[] };

/**
 * A machine read: a token's read of values, variables, environments, drift or health (the reports a pipeline
 * pulls), which a fresh replica may answer (db/replica.ts, docs/scaling.md). Writes never pass it.
 */
export const MACHINE_READ = { read: true } as const;

/**
 * One call in one transaction. A token runs in its creator's context, with their role today (`forbidden` once
 * they have left); when the call succeeds, one audit row names the token and its use is counted (when and from
 * where), both sent together. A person runs in their own context and their call's rows are audited.
 */
export async function asCaller<T>(
  caller: ApiCaller,
  ip: string | undefined,
  fn: (tx: Tx, ctx: TenantContext) => Promise<CallOutcome<T>>,
  /** A token's read, which a fresh replica may answer (db/replica.ts); a person always reads the primary. */
  options: { read?: boolean } = {},
): Promise<T> {
  if (caller.kind === "person") {
    const ctx = { ...caller.ctx, ...(ip ? { ip } : {}) };
    return withContext(ctx, async (tx) => {
      const { result, audits } = await fn(tx, ctx);
      if (audits?.length) await writeAudits(tx, ctx, audits);
      return result;
    });
  }
  const { token } = caller;
  const role = token.creatorRole;
  if (!role) throw new AppError("forbidden");
  const ctx = { userId: token.createdBy, organizationId: token.organizationId, role, ...(ip ? { ip } : {}) };
  if (options.read) {
    const target = await readDatabase(ctx.organizationId);
    if (target.replica) {
      // Read on the replica, then the use is audited on the primary: the answer leaves only once that committed.
      // Not withContext: how the replica answers says nothing about the primary's health (db/availability.ts).
      const outcome = await contextTransaction(target.db, ctx, (tx) => fn(tx, ctx)).catch(() => null);
      if (outcome) {
        await withContext(
          ctx,
          async (tx) => {
            if (token.allowance && (await token.allowance) !== null) throw new AppError("rate_limited");
            await recordUse(tx, ctx, token, outcome.use, ip);
          },
          getDb(),
          AUDIT_ONLY,
        );
        return outcome.result;
      }
      // The replica failed the read (it stopped, or the read needed a write): the primary answers instead.
    }
  }
  return withContext(
    ctx,
    async (tx) => {
      const { result, use } = await fn(tx, ctx);
      if (token.allowance && (await token.allowance) !== null) throw new AppError("rate_limited");
      await recordUse(tx, ctx, token, use, ip);
      return result;
    },
    getDb(),
    options.read ? AUDIT_ONLY : {},
  );
}

/** A machine read writes only its audit row and use count: not a write its next read must wait for. */
const AUDIT_ONLY = { noteWrites: false } as const;

/** The token's one audit row for the call, and its use counted (when and from where). */
const recordUse = (
  tx: Tx,
  ctx: TenantContext,
  token: ServiceTokenContext,
  use: TokenUse,
  ip: string | undefined,
) =>
  Promise.all([
    writeAudit(tx, ctx, {
      ...use,
      resourceType: "service_token",
      resourceId: token.tokenId,
      details: { ...use.details, via: "service token" },
    }),
    recordTokenUse(tx, token.tokenId, ip ?? null),
  ]);

/**
 * The environment of that name among the organization's: `not_found` for none, `forbidden` outside a token's
 * environments. (A person reaches every environment; their role and grants decide what they read there.)
 */
export function environmentNamed(envs: EnvironmentRef[], caller: ApiCaller, name: string): EnvironmentRef {
  const env = envs.find((e) => e.name === name);
  if (!env) throw new AppError("not_found");
  if (caller.kind === "token" && !caller.token.environmentIds.includes(env.id))
    throw new AppError("forbidden");
  return env;
}

/** The environments among these that the caller reaches: a token's own; all of them for a person. */
export const reachable = (envs: EnvironmentRef[], caller: ApiCaller) =>
  caller.kind === "token" ? envs.filter((e) => caller.token.environmentIds.includes(e.id)) : envs;

/** Whether a variable is within a token's name prefix and tag (when it has them); always for a person. */
export function inScope(caller: ApiCaller, variable: { name: string; tags: string[] }): boolean {
  if (caller.kind === "person") return true;
  const { namePrefix, tag } = caller.token;
  return (!namePrefix || variable.name.startsWith(namePrefix)) && (!tag || variable.tags.includes(tag));
}

/** A token's name prefix and tag, which part its cached reads (none for a person). */
export const scopeKey = (caller: ApiCaller) =>
  caller.kind === "token"
    ? { namePrefix: caller.token.namePrefix, tag: caller.token.tag }
    : { namePrefix: null, tag: null };
