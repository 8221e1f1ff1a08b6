import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs } from "@/db/repos/grants";
import { membershipRole } from "@/db/repos/memberships";
import { recordTokenUse } from "@/db/repos/service-tokens";
import { AppError } from "@/lib/errors";
import type { ServiceTokenContext } from "./service-tokens";

/**
 * One use of a token, in one transaction: `fn` runs in its creator's context, with their role today (`forbidden`
 * once they have left), and the use is counted (when and from where) if `fn` succeeds.
 */
export async function asToken<T>(
  token: ServiceTokenContext,
  ip: string | undefined,
  fn: (tx: Tx, ctx: TenantContext) => Promise<T>,
): Promise<T> {
  const base = { userId: token.createdBy, organizationId: token.organizationId, ...(ip ? { ip } : {}) };
  return withContext(base, async (tx) => {
    const role = await membershipRole(tx, token.createdBy, token.organizationId);
    if (!role) throw new AppError("forbidden");
    const result = await fn(tx, { ...base, role });
    await recordTokenUse(tx, token.tokenId, ip ?? null);
    return result;
  });
}

/** The environment of that name, when it is one of the token's: `not_found` for none, `forbidden` outside. */
export async function tokenEnvironment(
  tx: Tx,
  ctx: TenantContext,
  token: ServiceTokenContext,
  name: string,
): Promise<EnvironmentRef> {
  const env = (await environmentRefs(tx, ctx)).find((e) => e.name === name);
  if (!env) throw new AppError("not_found");
  if (!token.environmentIds.includes(env.id)) throw new AppError("forbidden");
  return env;
}

/** Whether a variable is within the token's name prefix and tag (when it has them). */
export const inTokenScope = (token: ServiceTokenContext, variable: { name: string; tags: string[] }) =>
  (!token.namePrefix || variable.name.startsWith(token.namePrefix)) &&
  (!token.tag || variable.tags.includes(token.tag));
