import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { syncOfTarget } from "@/db/repos/syncs";
import { liveValueRows, valueVersionRows } from "@/db/repos/target-values";
import { orgVault } from "@/db/vault";
import { AppError } from "@/lib/errors";
import type { Classification } from "@/lib/risk";
import { requireValuePermission } from "@/server/authz";
import type { OpenTarget } from "@/server/targets/sync-targets";
import { resolveEntries } from "@/server/values/references";

/** One key as the console wants it deployed: the plaintext lives only in memory, for the push or the hash. */
export type DesiredKey = {
  variableId: string;
  name: string;
  version: number;
  value: string;
  valueHash: string | null;
  classification: Classification;
  weddingCritical: boolean;
  required: boolean;
  expired: boolean;
};

/** What a completed sync left on its target: each key's variable and value version (for rollback). */
export type Snapshot = Record<string, { variableId: string; version: number }>;

/**
 * The environment's live values, decrypted, for those who may read them: all, only some names, or only the
 * sensitive ones (confidential, wedding-day critical or flagged wedding-critical), filtered before decrypting.
 */
export async function consoleValues(
  tx: Tx,
  ctx: TenantContext,
  env: { id: string; name: string; environmentType: string },
  only: { names?: string[]; sensitive?: boolean } = {},
): Promise<DesiredKey[]> {
  await requireValuePermission(tx, ctx, null, env, "read");
  const rows = await liveValueRows(tx, env.id, only);
  const vault = await orgVault(tx, ctx.organizationId);
  const desired = rows.map(({ encryptedValue, encryptionKeyId, ...r }) => ({
    ...r,
    classification: r.classification as Classification,
    value: vault.decryptValue(
      { ciphertext: encryptedValue, keyId: encryptionKeyId },
      { organizationId: ctx.organizationId, variableId: r.variableId, environmentId: env.id },
    ),
  }));
  return resolved(tx, ctx, env, desired);
}

/** The keys with their references resolved: a target gets (and a scan expects) what the references stand for. */
async function resolved(
  tx: Tx,
  ctx: TenantContext,
  env: { id: string; name: string; environmentType: string },
  desired: DesiredKey[],
): Promise<DesiredKey[]> {
  const { entries } = await resolveEntries(
    tx,
    ctx,
    env,
    desired.map((d) => ({ key: d.name, value: d.value })),
  );
  return desired.map((d, i) => ({ ...d, value: entries[i].value }));
}

/** The values a completed sync pushed, from the value history (the console's values may have moved since). */
export async function snapshotValues(
  tx: Tx,
  ctx: TenantContext,
  open: OpenTarget,
  syncId: string,
): Promise<{ desired: DesiredKey[]; lost: string[] }> {
  await requireValuePermission(tx, ctx, null, open.env, "read");
  const sync = await syncOfTarget(tx, syncId, open.target.id);
  const snapshot = (sync?.details as { snapshot?: Snapshot } | undefined)?.snapshot;
  if (sync?.status !== "completed" || !snapshot)
    throw new AppError("validation", {
      syncId: ["Only a completed sync of this target can be rolled back to"],
    });
  // One query for every key of the snapshot: each key's value at the version that sync pushed.
  const wanted = Object.entries(snapshot).map(([name, v]) => ({
    name,
    variable_id: v.variableId,
    version: v.version,
  }));
  const rows = await valueVersionRows(tx, open.env.id, wanted);
  const vault = await orgVault(tx, ctx.organizationId);
  const desired: DesiredKey[] = [];
  const lost: string[] = [];
  for (const row of rows) {
    // Purged 90 days after deletion: that version's ciphertext is gone.
    if (!row.encrypted_value || !row.encryption_key_id) {
      lost.push(row.name);
      continue;
    }
    desired.push({
      variableId: row.variable_id,
      name: row.name,
      version: row.version,
      value: vault.decryptValue(
        { ciphertext: row.encrypted_value, keyId: row.encryption_key_id },
        { organizationId: ctx.organizationId, variableId: row.variable_id, environmentId: open.env.id },
      ),
      valueHash: row.value_hash,
      classification: row.classification as Classification,
      weddingCritical: row.wedding_critical,
      required: row.required,
      expired: false,
    });
  }
  return { desired: await resolved(tx, ctx, open.env, desired), lost };
}
