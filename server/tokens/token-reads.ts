import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { environmentValueRows } from "@/db/repos/values";
import { AppError } from "@/lib/errors";
import { entityTag, matchesIfNoneMatch } from "@/lib/etag";
import { formatValues, UnrepresentableError, type ValueFormat } from "@/lib/value-formats";
import { writeAudit } from "@/server/audit/audit";
import { requireValuePermission, valuePermissions } from "@/server/authz";
import { decryptedEntries } from "@/server/values/export";
import type { ServiceTokenContext } from "./service-tokens";
import { asToken, inTokenScope, tokenEnvironment } from "./token-scope";

/**
 * One environment's values as a service token reads them. A token acts for the member who created it and never
 * beyond them: it reads what its scope (environments, name prefix, tag) and that member's access today both
 * allow, and nothing once they have left the organization. One audit row per read names the token and how many
 * values it returned (never the values); the token's use is counted.
 */
export async function tokenEnvironmentValues(
  token: ServiceTokenContext,
  environmentName: string,
  format: ValueFormat,
  options: { ip?: string; ifNoneMatch?: string | null } = {},
): Promise<{ environment: string; count: number; etag: string; body: string | null }> {
  const { ip } = options;
  return asToken(token, ip, async (tx, ctx) => {
    const env = await tokenEnvironment(tx, ctx, token, environmentName);
    await requireValuePermission(tx, ctx, null, env, "read");
    const rows = (await environmentValueRows(tx, env.id)).filter((r) => inTokenScope(token, r));
    // What the answer is made of — which values at which versions, under which names, in which format — so an
    // unchanged environment is answered 304 without decrypting anything.
    const etag = entityTag([env.id, format, ...rows.flatMap((r) => [r.variableId, r.name, r.version])]);
    const unchanged = matchesIfNoneMatch(options.ifNoneMatch ?? null, etag);
    const entries = unchanged ? [] : await decryptedEntries(tx, ctx.organizationId, env.id, rows);
    // Formatted inside the transaction: a format that cannot carry a value refuses the read, audited as nothing.
    const body = unchanged ? null : formatted(entries, format);
    await writeAudit(tx, ctx, {
      action: "read",
      resourceType: "service_token",
      resourceId: token.tokenId,
      environmentId: env.id,
      details: {
        environment: env.name,
        count: entries.length,
        format,
        via: "service token",
        ...(unchanged ? { notModified: true } : {}),
      },
    });
    return { environment: env.name, count: entries.length, etag, body };
  });
}

function formatted(entries: { key: string; value: string }[], format: ValueFormat): string {
  try {
    return formatValues(entries, format);
  } catch (error) {
    if (error instanceof UnrepresentableError)
      throw new AppError("validation", {
        format: [`${format} cannot carry a line break, which these have: ${error.keys.join(", ")}`],
      });
    throw error;
  }
}

/** The environments a token may read, in the console's order: their names and types. Audited as a use. */
export async function tokenEnvironments(token: ServiceTokenContext, ip?: string) {
  return asToken(token, ip, async (tx, ctx) => {
    const envs = (await environmentRefs(tx, ctx)).filter((e) => token.environmentIds.includes(e.id));
    const permissions = await valuePermissions(tx, ctx, null, envs);
    const readable = envs.filter((_, i) => permissions[i].permission !== "none");
    await auditUse(tx, ctx, token, { listed: "environments", count: readable.length });
    return readable.map((e) => ({ name: e.name, type: e.environmentType }));
  });
}

/** What a token is, for `ringbearer whoami`: its organization, scope and expiry (never the token). Audited. */
export async function tokenIdentity(token: ServiceTokenContext, ip?: string) {
  return asToken(token, ip, async (tx, ctx) => {
    const envs = (await environmentRefs(tx, ctx)).filter((e) => token.environmentIds.includes(e.id));
    await auditUse(tx, ctx, token, { listed: "whoami" });
    return {
      tokenId: token.tokenId,
      organization: await organizationSlug(tx, ctx.organizationId),
      environments: envs.map((e) => e.name),
      access: token.access,
      namePrefix: token.namePrefix,
      tag: token.tag,
      expiresAt: token.expiresAt.toISOString(),
    };
  });
}

/** The audit row of a use that reads no value (one per request, naming the token). */
function auditUse(tx: Tx, ctx: TenantContext, token: ServiceTokenContext, details: Record<string, unknown>) {
  return writeAudit(tx, ctx, {
    action: "read",
    resourceType: "service_token",
    resourceId: token.tokenId,
    details: { ...details, via: "service token" },
  });
}
