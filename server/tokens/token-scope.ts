import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs } from "@/db/repos/grants";
import { recordTokenUse } from "@/db/repos/service-tokens";
import { AppError } from "@/lib/errors";
import { type AuditEntry, writeAudit } from "@/server/audit/audit";
import type { ServiceTokenContext } from "./service-tokens";

/** What one use of a token did, for its audit row (the token, its resource, is added by asToken). */
export type TokenUse = Omit<AuditEntry, "resourceType" | "resourceId">;

/**
 * One use of a token, in one transaction: `fn` runs in its creator's context, with their role today (`forbidden`
 * once they have left), and returns its result with what it did. When it succeeds, that is audited in one row
 * naming the token, and the use is counted (when and from where) — both sent together.
 */
export async function asToken<T>(
  token: ServiceTokenContext,
  ip: string | undefined,
  fn: (tx: Tx, ctx: TenantContext) => Promise<{ result: T; use: TokenUse }>,
): Promise<T> {
  const role = token.creatorRole;
  if (!role) throw new AppError("forbidden");
  const ctx = { userId: token.createdBy, organizationId: token.organizationId, role, ...(ip ? { ip } : {}) };
  return withContext(ctx, async (tx) => {
    const { result, use } = await fn(tx, ctx);
    if (token.allowance && (await token.allowance) !== null) throw new AppError("rate_limited");
    await Promise.all([
      writeAudit(tx, ctx, {
        ...use,
        resourceType: "service_token",
        resourceId: token.tokenId,
        details: { ...use.details, via: "service token" },
      }),
      recordTokenUse(tx, token.tokenId, ip ?? null),
    ]);
    return result;
  });
}

/** The environment of that name among the organization's, when it is one of the token's: `not_found` for none,
 * `forbidden` outside. */
export function tokenEnvironmentIn(
  envs: EnvironmentRef[],
  token: ServiceTokenContext,
  name: string,
): EnvironmentRef {
  const env = envs.find((e) => e.name === name);
  if (!env) throw new AppError("not_found");
  if (!token.environmentIds.includes(env.id)) throw new AppError("forbidden");
  return env;
}

/** The environment of that name, when it is one of the token's: `not_found` for none, `forbidden` outside. */
export async function tokenEnvironment(
  tx: Tx,
  ctx: TenantContext,
  token: ServiceTokenContext,
  name: string,
): Promise<EnvironmentRef> {
  return tokenEnvironmentIn(await environmentRefs(tx, ctx), token, name);
}

/** Whether a variable is within the token's name prefix and tag (when it has them). */
export const inTokenScope = (token: ServiceTokenContext, variable: { name: string; tags: string[] }) =>
  (!token.namePrefix || variable.name.startsWith(token.namePrefix)) &&
  (!token.tag || variable.tags.includes(token.tag));
