import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs, grantsFor, type OrgGrants } from "@/db/repos/grants";
import { organizationValueVersion } from "@/db/repos/value-versions";
import { environmentValueRows } from "@/db/repos/values";
import { AppError } from "@/lib/errors";
import { entityTag, matchesIfNoneMatch } from "@/lib/etag";
import { atLeast } from "@/lib/policy";
import { mayHoldReferences } from "@/lib/references";
import { revealNeedsStepUp } from "@/lib/step-up";
import { formatValues, UnrepresentableError, type ValueFormat } from "@/lib/value-formats";
import type { AuditEntry } from "@/server/audit/audit";
import { requireRecentAuth } from "@/server/auth/step-up";
import { valuePermissions } from "@/server/authz";
import { cachedRead, type ReadKey, rememberRead } from "@/server/tokens/read-cache";
import { decryptedEntries } from "@/server/values/export";
import { type ReferredValue, referredAudits, resolveEntries } from "@/server/values/references";
import { type ApiCaller, asCaller, environmentNamed, inScope, MACHINE_READ, scopeKey } from "./caller";

type ValueRow = Awaited<ReturnType<typeof environmentValueRows>>[number];
type Fresh = { etag: string; body: string; count: number; referred: string[] };

/**
 * One environment's values as the API answers them, resolved and formatted. A token acts for the member who
 * created it and never beyond them: it reads what its scope (environments, name prefix, tag) and that member's
 * access today both allow; one audit row names it and how many values it returned (never the values). Its
 * checks run on every read; the answer comes from this instance's cache while the organization's values are
 * unchanged. A person reads what the console would export to them: the same step-up for wedding-critical
 * production values, and each value audited as revealed, with one `export` row.
 */
export async function environmentValues(
  caller: ApiCaller,
  environmentName: string,
  format: ValueFormat,
  options: { ip?: string; ifNoneMatch?: string | null } = {},
): Promise<{ environment: string; count: number; etag: string; body: string | null }> {
  return asCaller(
    caller,
    options.ip,
    async (tx, ctx) => {
      // One round trip for everything the checks need (they go out with the transaction's settings).
      const [envs, grants, valueVersion] = await Promise.all([
        environmentRefs(tx, ctx),
        grantsFor(tx, ctx),
        organizationValueVersion(tx, ctx.organizationId),
      ]);
      const env = environmentNamed(envs, caller, environmentName);
      const [{ permission }] = await valuePermissions(tx, ctx, null, [env], grants);
      if (!atLeast(permission, "read")) throw new AppError("forbidden");
      const key = { organizationId: ctx.organizationId, environmentId: env.id, valueVersion, format };
      if (caller.kind === "person") return personRead(tx, ctx, caller, env, format, valueVersion, options);
      const cached = cachedRead({ ...key, ...scopeKey(caller) });
      const read =
        cached && (await mayStillRead(tx, ctx, envs, grants, cached.referred))
          ? cached
          : await tokenRead(tx, ctx, caller, env, format, { ...key, ...scopeKey(caller) });
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
    },
    MACHINE_READ,
  );
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

/** A token's read, answered fresh and kept for later reads under the same value version. */
async function tokenRead(
  tx: Tx,
  ctx: TenantContext,
  caller: ApiCaller,
  env: EnvironmentRef,
  format: ValueFormat,
  key: ReadKey,
): Promise<Fresh> {
  const { read } = await freshRead(tx, ctx, caller, env, format, key.valueVersion);
  rememberRead(key, read);
  return read;
}

/** A person's read: the step-up a reveal of any of its values needs, then audited as the console's export. */
async function personRead(
  tx: Tx,
  ctx: TenantContext,
  caller: ApiCaller,
  env: EnvironmentRef,
  format: ValueFormat,
  valueVersion: number,
  options: { ifNoneMatch?: string | null },
) {
  const { read, rows, revealed } = await freshRead(tx, ctx, caller, env, format, valueVersion);
  const needs = [...rows.map((r) => ({ ...r, environment: env })), ...revealed];
  if (needs.some((r) => revealNeedsStepUp(r, r.environment.environmentType)))
    await requireRecentAuth(tx, ctx);
  const unchanged = matchesIfNoneMatch(options.ifNoneMatch ?? null, read.etag);
  const exported: AuditEntry = {
    action: "export",
    resourceType: "environment",
    resourceId: env.id,
    environmentId: env.id,
    details: {
      environment: env.name,
      format,
      via: "api",
      count: unchanged ? 0 : read.count,
      ...(unchanged ? { notModified: true } : {}),
    },
  };
  return {
    result: {
      environment: env.name,
      count: unchanged ? 0 : read.count,
      etag: read.etag,
      body: unchanged ? null : read.body,
    },
    use: { action: "read" as const },
    audits: unchanged
      ? [exported]
      : [
          ...revealedRows(env, rows, format),
          ...referredAudits(revealed, { referredFrom: env.name, export: format }),
          exported,
        ],
  };
}

/** The reveal row of each value a person's read returned (with its hash, never the value). */
const revealedRows = (env: EnvironmentRef, rows: ValueRow[], format: string): AuditEntry[] =>
  rows.map((r) => ({
    action: "decrypt",
    resourceType: "value",
    variableId: r.variableId,
    environmentId: env.id,
    newValueHash: r.valueHash,
    details: { name: r.name, environment: env.name, version: r.version, export: format, via: "api" },
  }));

/**
 * Reads, decrypts, resolves and formats the environment's values in the caller's scope. The tag is made of which
 * values at which versions, under which names, in which format — and, when a value refers to others, of the
 * organization's value version too, so a change to a referred value is a new tag.
 */
async function freshRead(
  tx: Tx,
  ctx: TenantContext,
  caller: ApiCaller,
  env: EnvironmentRef,
  format: ValueFormat,
  valueVersion: number,
): Promise<{ read: Fresh; rows: ValueRow[]; revealed: ReferredValue[] }> {
  const rows = (await environmentValueRows(tx, env.id)).filter((r) => inScope(caller, r));
  const decrypted = await decryptedEntries(tx, ctx.organizationId, env.id, rows);
  const { entries, revealed } = await resolveEntries(tx, ctx, env, decrypted, (v) => inScope(caller, v));
  const referred = [...new Set(revealed.map((r) => r.environment.id))].filter((id) => id !== env.id);
  const refers = decrypted.some((e) => mayHoldReferences(e.value));
  const etag = entityTag([
    env.id,
    format,
    ...rows.flatMap((r) => [r.variableId, r.name, r.version]),
    ...(refers ? ["references", valueVersion] : []),
  ]);
  // Formatted inside the transaction: a format that cannot carry a value refuses the read, audited as nothing.
  return {
    read: { etag, body: formatted(entries, format), count: entries.length, referred },
    rows,
    revealed,
  };
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
