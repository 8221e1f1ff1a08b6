import type { Database, Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs } from "@/db/repos/grants";
import { organizationMaxTokenDays, updateOrganizationMaxTokenDays } from "@/db/repos/organizations";
import {
  insertServiceToken,
  revokeServiceTokenRow,
  serviceTokenByHash,
  serviceTokenExists,
} from "@/db/repos/service-tokens";
import { tokenHash } from "@/db/vault";
import { PERSONAL_TOKEN_HOURS } from "@/lib/cli-login";
import { AppError } from "@/lib/errors";
import { atLeast, can, type Permission } from "@/lib/policy";
import type { Role } from "@/lib/roles";
import {
  addressAllowed,
  MAX_TOKEN_DAYS,
  newServiceToken,
  type TokenAccess,
  tokenHint,
  tokenShape,
} from "@/lib/service-tokens";
import type { ServiceTokenInput } from "@/lib/validation/tokens";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability, valuePermissions } from "@/server/authz";

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
  const maxDays = (await organizationMaxTokenDays(tx, ctx.organizationId)) ?? MAX_TOKEN_DAYS;
  if (input.expiresInDays > maxDays)
    throw new AppError("validation", {
      expiresInDays: [`Tokens of this organization live at most ${maxDays} days`],
    });
  return mint(tx, ctx, {
    ...input,
    chosen: names.map((n) => envs.find((e) => e.name === n) as EnvironmentRef),
    expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
    kind: "service",
  });
}

/**
 * A personal token for the caller alone (a CLI login they approved): these environments of theirs, for
 * PERSONAL_TOKEN_HOURS. Any member may make one (`tokens:personal`): it acts as them, never beyond them.
 */
export async function createPersonalToken(
  tx: Tx,
  ctx: TenantContext,
  input: { client: string; environmentIds: string[]; access: TokenAccess },
) {
  requireCapability(ctx, "tokens:personal");
  const chosen = (await environmentRefs(tx, ctx)).filter((e) => input.environmentIds.includes(e.id));
  if (chosen.length === 0 || chosen.length < new Set(input.environmentIds).size)
    throw new AppError("validation", {
      environments: ["Choose at least one environment of this organization"],
    });
  return mint(tx, ctx, {
    name: `CLI: ${input.client}`.slice(0, 100),
    access: input.access,
    allowedCidrs: [],
    chosen,
    expiresAt: new Date(Date.now() + PERSONAL_TOKEN_HOURS * 3_600_000),
    kind: "personal",
  });
}

/** Refuses (422 on `environments`) a token that would read or write where its creator does not today. */
export async function requireWithinCreator(
  tx: Tx,
  ctx: TenantContext,
  chosen: EnvironmentRef[],
  access: TokenAccess,
) {
  const need: Permission = access === "read-write" ? "write" : "read";
  const permissions = await valuePermissions(tx, ctx, null, chosen);
  const beyond = chosen.filter((_, i) => !atLeast(permissions[i].permission, need));
  if (beyond.length > 0)
    throw new AppError("validation", {
      environments: [
        `You cannot ${need} the values of ${beyond.map((e) => e.name).join(", ")}, so a token of yours cannot either`,
      ],
    });
}

/**
 * Mints a token, never more than its creator: it reads (or writes) only where the creator does today. It acts as
 * its creator at every use too, so a creator who loses access takes the token's access with them.
 */
async function mint(
  tx: Tx,
  ctx: TenantContext,
  input: {
    name: string;
    access: TokenAccess;
    namePrefix?: string;
    tag?: string;
    allowedCidrs: string[];
    chosen: EnvironmentRef[];
    expiresAt: Date;
    kind: "service" | "personal";
  },
) {
  const { chosen, expiresAt } = input;
  await requireWithinCreator(tx, ctx, chosen, input.access);
  const names = chosen.map((e) => e.name);
  const token = newServiceToken();
  const row = await insertServiceToken(tx, {
    organizationId: ctx.organizationId,
    name: input.name,
    tokenHash: await tokenHash(token, tx),
    hint: tokenHint(token),
    environmentIds: chosen.map((e) => e.id),
    access: input.access,
    namePrefix: input.namePrefix ?? null,
    tag: input.tag ?? null,
    allowedCidrs: input.allowedCidrs,
    expiresAt,
    createdBy: ctx.userId,
    kind: input.kind,
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
      ...(input.kind === "personal" ? { personal: true } : {}),
    },
  });
  return { id: row.id, token, expiresAt, environments: names };
}

/**
 * Sets the longest a new token of the organization may live (settings:manage). Tokens already made keep their
 * expiry: revoke those that should end sooner. Audited as a settings change.
 */
export async function setTokenLifetime(tx: Tx, ctx: TenantContext, input: { maxTokenDays: number }) {
  requireCapability(ctx, "settings:manage");
  const before = await organizationMaxTokenDays(tx, ctx.organizationId);
  if (before === undefined) throw new AppError("not_found");
  if (before === input.maxTokenDays) return { maxTokenDays: before };
  await updateOrganizationMaxTokenDays(tx, ctx.organizationId, input.maxTokenDays);
  await writeAudit(tx, ctx, {
    action: "update",
    resourceType: "settings",
    details: { max_token_days: { from: before, to: input.maxTokenDays } },
  });
  return { maxTokenDays: input.maxTokenDays };
}

/**
 * Revokes a token of the caller's organization at once; not_found for none (or another organization's). Owners and
 * admins revoke any; everyone their own personal tokens.
 */
export async function revokeServiceToken(tx: Tx, ctx: TenantContext, id: string) {
  const any = can(ctx.role, "tokens:manage");
  if (!any) requireCapability(ctx, "tokens:personal");
  const row = await revokeServiceTokenRow(tx, id, ctx.userId, any ? undefined : ctx.userId);
  // Someone else's token (or a service token) is not theirs to revoke; one that is not there is not found.
  if (!row) throw new AppError(!any && (await serviceTokenExists(tx, id)) ? "forbidden" : "not_found");
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
  /** The creator's role in the organization when the token was presented: a token acts as its creator. */
  creatorRole: Role | null;
  expiresAt: Date;
  /** The request's place in the token's minute, counted meanwhile (token-route): seconds to wait when over. */
  allowance?: Promise<number | null>;
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
  const row = await serviceTokenByHash(db, await tokenHash(token, db));
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
    creatorRole: (row.creator_role as Role | null) ?? null,
    expiresAt: new Date(row.expires_at),
  };
}
