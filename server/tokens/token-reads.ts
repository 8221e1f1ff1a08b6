import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs, grantsFor, type OrgGrants } from "@/db/repos/grants";
import { organizationSlug } from "@/db/repos/organizations";
import { organizationValueVersion } from "@/db/repos/value-versions";
import { environmentValueRows } from "@/db/repos/values";
import { AppError } from "@/lib/errors";
import { entityTag, matchesIfNoneMatch } from "@/lib/etag";
import { atLeast } from "@/lib/policy";
import { mayHoldReferences } from "@/lib/references";
import { formatValues, UnrepresentableError, type ValueFormat } from "@/lib/value-formats";
import { valuePermissions } from "@/server/authz";
import { decryptedEntries } from "@/server/values/export";
import { resolveEntries } from "@/server/values/references";
import { type CachedRead, cachedRead, type ReadKey, rememberRead } from "./read-cache";
import type { ServiceTokenContext } from "./service-tokens";
import { asToken, inTokenScope, tokenEnvironmentIn } from "./token-scope";

/**
 * One environment's values as a service token reads them. A token acts for the member who created it and never
 * beyond them: it reads what its scope (environments, name prefix, tag) and that member's access today both
 * allow, and nothing once they have left the organization. One audit row per read names the token and how many
 * values it returned (never the values); the token's use is counted. The checks run on every read; the
 * decrypted, formatted answer comes from this instance's cache while the organization's values are unchanged.
 */
export async function tokenEnvironmentValues(
  token: ServiceTokenContext,
  environmentName: string,
  format: ValueFormat,
  options: { ip?: string; ifNoneMatch?: string | null } = {},
): Promise<{ environment: string; count: number; etag: string; body: string | null }> {
  return asToken(token, options.ip, async (tx, ctx) => {
    // One round trip for everything the checks need (they go out with the transaction's settings).
    const [envs, grants, valueVersion] = await Promise.all([
      environmentRefs(tx, ctx),
      grantsFor(tx, ctx),
      organizationValueVersion(tx, ctx.organizationId),
    ]);
    const env = tokenEnvironmentIn(envs, token, environmentName);
    const [{ permission }] = await valuePermissions(tx, ctx, null, [env], grants);
    if (!atLeast(permission, "read")) throw new AppError("forbidden");
    const key = {
      organizationId: ctx.organizationId,
      environmentId: env.id,
      valueVersion,
      format,
      ...scopeOf(token),
    };
    const cached = cachedRead(key);
    const read =
      cached && (await mayStillRead(tx, ctx, envs, grants, cached.referred))
        ? cached
        : await freshRead(tx, ctx, token, env, format, key, valueVersion);
    const unchanged = matchesIfNoneMatch(options.ifNoneMatch ?? null, read.etag);
    const count = unchanged ? 0 : read.count;
    return {
      result: { environment: env.name, count, etag: read.etag, body: unchanged ? null : read.body },
      use: {
        action: "read",
        environmentId: env.id,
        details: { environment: env.name, count, format, ...(unchanged ? { notModified: true } : {}) },
      },
    };
  });
}

/**
 * Whether the reader may still read every other environment a cached answer's references drew from (their access
 * is in the grants already read: no query). An environment gone since answers no.
 */
async function mayStillRead(
  tx: Tx,
  ctx: TenantContext,
  envs: EnvironmentRef[],
  grants: OrgGrants,
  referred: string[],
) {
  const drawn = envs.filter((e) => referred.includes(e.id));
  if (drawn.length < referred.length) return false;
  const permissions = await valuePermissions(tx, ctx, null, drawn, grants);
  return permissions.every((p) => atLeast(p.permission, "read"));
}

const scopeOf = (token: ServiceTokenContext) => ({ namePrefix: token.namePrefix, tag: token.tag });

/**
 * Reads, decrypts, resolves and formats the environment's values in the token's scope, and keeps the answer for
 * later reads under the same value version. Its tag is made of which values at which versions, under which
 * names, in which format — and, when a value refers to others, of the organization's value version too, so a
 * change to a referred value is a new tag.
 */
async function freshRead(
  tx: Tx,
  ctx: TenantContext,
  token: ServiceTokenContext,
  env: EnvironmentRef,
  format: ValueFormat,
  key: ReadKey,
  valueVersion: number,
): Promise<CachedRead> {
  const rows = (await environmentValueRows(tx, env.id)).filter((r) => inTokenScope(token, r));
  const decrypted = await decryptedEntries(tx, ctx.organizationId, env.id, rows);
  const { entries, revealed } = await resolveEntries(tx, ctx, env, decrypted, (v) => inTokenScope(token, v));
  const referred = [...new Set(revealed.map((r) => r.environment.id))].filter((id) => id !== env.id);
  const refers = decrypted.some((e) => mayHoldReferences(e.value));
  const etag = entityTag([
    env.id,
    format,
    ...rows.flatMap((r) => [r.variableId, r.name, r.version]),
    ...(refers ? ["references", valueVersion] : []),
  ]);
  // Formatted inside the transaction: a format that cannot carry a value refuses the read, audited as nothing.
  const read = {
    etag,
    body: formatted(entries, format),
    count: entries.length,
    referred,
  };
  rememberRead(key, read);
  return read;
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
    return {
      result: readable.map((e) => ({ name: e.name, type: e.environmentType })),
      use: { action: "read", details: { listed: "environments", count: readable.length } },
    };
  });
}

/** What a token is, for `ringbearer whoami`: its organization, scope and expiry (never the token). Audited. */
export async function tokenIdentity(token: ServiceTokenContext, ip?: string) {
  return asToken(token, ip, async (tx, ctx) => {
    const envs = (await environmentRefs(tx, ctx)).filter((e) => token.environmentIds.includes(e.id));
    const identity = {
      tokenId: token.tokenId,
      organization: await organizationSlug(tx, ctx.organizationId),
      environments: envs.map((e) => e.name),
      access: token.access,
      namePrefix: token.namePrefix,
      tag: token.tag,
      expiresAt: token.expiresAt.toISOString(),
    };
    return { result: identity, use: { action: "read", details: { listed: "whoami" } } };
  });
}
