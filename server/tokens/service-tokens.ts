import type { Database, Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { insertServiceToken, revokeServiceTokenRow, serviceTokenByHash } from "@/db/repos/service-tokens";
import { tokenHash } from "@/db/vault";
import { AppError } from "@/lib/errors";
import {
  addressAllowed,
  newServiceToken,
  type TokenAccess,
  tokenHint,
  tokenShape,
} from "@/lib/service-tokens";
import type { ServiceTokenInput } from "@/lib/validation/tokens";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";

const DAY_MS = 86_400_000;

/**
 * Creates a service token for environments of the caller's organization (input parsed by the builder with
 * `serviceTokenInput`). The token is returned once, here; the database keeps its keyed hash and a hint.
 * Audited with its id, name, scope and expiry, never the token.
 */
export async function createServiceToken(tx: Tx, ctx: TenantContext, input: ServiceTokenInput) {
  requireCapability(ctx, "tokens:manage");
  const envs = await environmentRefs(tx, ctx);
  const names = [...new Set(input.environments)];
  const unknown = names.filter((n) => !envs.some((e) => e.name === n));
  if (unknown.length > 0)
    throw new AppError("validation", { environments: [`No environment is named ${unknown.join(", ")}`] });
  const environmentIds = names.map((n) => envs.find((e) => e.name === n)?.id as string);
  const token = newServiceToken();
  const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
  const row = await insertServiceToken(tx, {
    organizationId: ctx.organizationId,
    name: input.name,
    tokenHash: tokenHash(token),
    hint: tokenHint(token),
    environmentIds,
    access: input.access,
    namePrefix: input.namePrefix ?? null,
    tag: input.tag ?? null,
    allowedCidrs: input.allowedCidrs,
    expiresAt,
    createdBy: ctx.userId,
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "service_token",
    resourceId: row.id,
    details: {
      name: input.name,
      hint: tokenHint(token),
      environments: names,
      access: input.access,
      expiresAt: expiresAt.toISOString(),
      allowedCidrs: input.allowedCidrs,
    },
  });
  return { id: row.id, token, expiresAt };
}

/** Revokes a token of the caller's organization at once; not_found for none (or another organization's). */
export async function revokeServiceToken(tx: Tx, ctx: TenantContext, id: string) {
  requireCapability(ctx, "tokens:manage");
  const row = await revokeServiceTokenRow(tx, id, ctx.userId);
  if (!row) throw new AppError("not_found");
  await writeAudit(tx, ctx, {
    action: "delete",
    resourceType: "service_token",
    resourceId: row.id,
    details: { name: row.name, revoked: true },
  });
}

/** Who a request presenting a valid token is: the token's organization and scope. */
export type ServiceTokenContext = {
  tokenId: string;
  organizationId: string;
  environmentIds: string[];
  access: TokenAccess;
  namePrefix: string | null;
  tag: string | null;
  createdBy: string;
};

/**
 * The token a request presents, from the address it came from: `token:invalid` (not a token, a typo — told
 * without a database read — or unknown), `token:revoked`, `token:expired`, or `forbidden` from an address
 * outside its ranges. Runs before any tenant context (service_token_by_hash).
 */
export async function authenticateServiceToken(
  db: Database | Tx,
  token: string,
  address: string | null,
  now = new Date(),
): Promise<ServiceTokenContext> {
  if (tokenShape(token) !== "ok") throw new AppError("token:invalid");
  const row = await serviceTokenByHash(db, tokenHash(token));
  if (!row) throw new AppError("token:invalid");
  if (row.revoked_at) throw new AppError("token:revoked");
  if (new Date(row.expires_at) <= now) throw new AppError("token:expired");
  if (!addressAllowed(address, row.allowed_cidrs)) throw new AppError("forbidden");
  return {
    tokenId: row.id,
    organizationId: row.organization_id,
    environmentIds: row.environment_ids,
    access: row.access as TokenAccess,
    namePrefix: row.name_prefix,
    tag: row.tag,
    createdBy: row.created_by,
  };
}
