import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs, grantsFor, type OrgGrants } from "@/db/repos/grants";
import { environmentValueRows } from "@/db/repos/values";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { atLeast } from "@/lib/policy";
import {
  addressText,
  createResolver,
  type Known,
  MAX_REFERENCE_DEPTH,
  mayHoldReferences,
  type ReferenceProblem,
  referencesIn,
  UnresolvableReference,
  type ValueAddress,
} from "@/lib/references";
import { valuePermissions } from "@/server/authz";

/** A decrypted value of the environment being read. */
export type Entry = { key: string; value: string };

/** A value read only because another refers to it: what an export audits and checks step-up for. */
export type ReferredValue = {
  variableId: string;
  name: string;
  environment: EnvironmentRef;
  isWeddingCritical: boolean;
  securityClassification: string;
  valueHash: string;
  version: number;
};

/** The reveal rows of values read because another referred to them (`referredFrom`: where the reference was). */
export function referredAudits(
  revealed: ReferredValue[],
  details: { referredFrom: string; export?: string },
) {
  return revealed.map((r) => ({
    action: "decrypt" as const,
    resourceType: "value" as const,
    variableId: r.variableId,
    environmentId: r.environment.id,
    newValueHash: r.valueHash,
    details: { name: r.name, environment: r.environment.name, version: r.version, ...details },
  }));
}

/** Which variables the reader may have (a token's name prefix and tag); everything when absent. */
export type InScope = (variable: { name: string; tags: string[] }) => boolean;

/**
 * Fetches what the references of `entries` (values of `env`) need, level by level: only the values referred to are
 * read and decrypted, each environment's permission checked once for the caller. A value the caller may not read
 * (their access, or outside `inScope`) is known as forbidden, one without a value as missing.
 */
async function loadReferred(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  entries: Entry[],
  inScope: InScope,
): Promise<{ known: Map<string, Known>; revealed: ReferredValue[] }> {
  const known = new Map<string, Known>(
    entries.map((e) => [addressText({ environment: env.name, key: e.key }), { value: e.value }]),
  );
  let envs: EnvironmentRef[] | undefined;
  let grants: OrgGrants | undefined;
  const readable = new Map<string, boolean>();
  const revealed: ReferredValue[] = [];
  const vault = await orgVault(tx, ctx.organizationId);
  let wanted = addressesIn(entries.map((e) => ({ environment: env.name, value: e.value })));
  for (let level = 0; level <= MAX_REFERENCE_DEPTH && wanted.length > 0; level++) {
    const byEnv = new Map<string, string[]>();
    for (const a of wanted)
      if (!known.has(addressText(a))) byEnv.set(a.environment, [...(byEnv.get(a.environment) ?? []), a.key]);
    const loaded: { environment: string; value: string }[] = [];
    for (const [name, keys] of byEnv) {
      envs ??= await environmentRefs(tx, ctx);
      const target = envs.find((e) => e.name === name);
      if (target && !readable.has(target.id)) {
        grants ??= await grantsFor(tx, ctx);
        const [p] = await valuePermissions(tx, ctx, null, [target], grants);
        readable.set(target.id, atLeast(p.permission, "read"));
      }
      const rows = target && readable.get(target.id) ? await environmentValueRows(tx, target.id, keys) : [];
      for (const key of keys) {
        const row = rows.find((r) => r.name === key);
        const id = addressText({ environment: name, key });
        if (target && !readable.get(target.id)) known.set(id, "forbidden");
        else if (!target || !row) known.set(id, "missing");
        else if (!inScope(row)) known.set(id, "forbidden");
        else {
          const value = vault.decryptValue(
            { ciphertext: row.encryptedValue, keyId: row.encryptionKeyId },
            { organizationId: ctx.organizationId, variableId: row.variableId, environmentId: target.id },
          );
          known.set(id, { value });
          loaded.push({ environment: name, value });
          const { variableId, isWeddingCritical, securityClassification, valueHash, version } = row;
          revealed.push({
            variableId,
            name: key,
            environment: target,
            isWeddingCritical,
            securityClassification,
            valueHash,
            version,
          });
        }
      }
    }
    wanted = addressesIn(loaded);
  }
  return { known, revealed };
}

/** The addresses the references of these values point to. */
function addressesIn(values: { environment: string; value: string }[]): ValueAddress[] {
  return values.flatMap(({ environment, value }) =>
    referencesIn(value).map((t) => ({ environment: t.environment ?? environment, key: t.key })),
  );
}

/**
 * The environment's values with their references resolved, in one pass (each referred value read and decrypted
 * once). Never stored. A reference the caller cannot resolve today — no such value, a value they may not read, a
 * circle, more than ten deep — refuses the whole read, naming the key: forbidden (403) when it is their access,
 * conflict:reference (409) otherwise. A deployment or a pipeline never gets `${…}` where a secret was meant.
 * Also returns the values it read only because they were referred to (an export audits them and asks for the
 * same step-up as revealing them; a cached answer depends on the reader's access to their environments).
 */
export async function resolveEntries(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  entries: Entry[],
  inScope: InScope = () => true,
): Promise<{ entries: Entry[]; revealed: ReferredValue[] }> {
  if (!entries.some((e) => mayHoldReferences(e.value))) return { entries, revealed: [] };
  const { known, revealed } = await loadReferred(tx, ctx, env, entries, inScope);
  const resolve = createResolver((a) => known.get(addressText(a)) ?? "missing");
  const resolved = entries.map((e) => {
    if (!mayHoldReferences(e.value)) return e;
    try {
      return { key: e.key, value: resolve({ environment: env.name, key: e.key }) };
    } catch (error) {
      if (!(error instanceof UnresolvableReference)) throw error;
      throw new AppError(error.problem.kind === "forbidden" ? "forbidden" : "conflict:reference", {
        [e.key]: [error.message],
      });
    }
  });
  return { entries: resolved, revealed };
}

/**
 * The references of values about to be written to `env` by the caller, judged with the batch in place: what each
 * resolves to (its type and pattern are checked on that), or what is wrong — a circle, more than ten deep, a value
 * missing or one the caller may not read. By key; values without references are in neither map.
 */
export async function resolveWrites(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  writes: { key: string; value: string | null }[],
): Promise<{ resolved: Map<string, string>; problems: Map<string, ReferenceProblem> }> {
  const resolved = new Map<string, string>();
  const problems = new Map<string, ReferenceProblem>();
  const written = writes.filter((w): w is Entry => w.value !== null);
  if (!written.some((w) => mayHoldReferences(w.value))) return { resolved, problems };
  const { known } = await loadReferred(tx, ctx, env, written, () => true);
  // A value deleted in the same batch is missing, whatever the database still holds.
  for (const w of writes)
    if (w.value === null) known.set(addressText({ environment: env.name, key: w.key }), "missing");
  const resolve = createResolver((a) => known.get(addressText(a)) ?? "missing");
  for (const w of written) {
    if (!mayHoldReferences(w.value)) continue;
    try {
      resolved.set(w.key, resolve({ environment: env.name, key: w.key }));
    } catch (error) {
      if (!(error instanceof UnresolvableReference)) throw error;
      problems.set(w.key, error.problem);
    }
  }
  return { resolved, problems };
}
