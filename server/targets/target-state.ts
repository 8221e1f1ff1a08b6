import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { deploymentSyncs, environmentVariables, environmentVariableValues, valueVersions } from "@/db/schema";
import { anyName } from "@/db/sql-lists";
import { orgKeys } from "@/db/vault";
import { AppError } from "@/lib/errors";
import type { Classification } from "@/lib/risk";
import { requireValuePermission } from "@/server/authz";
import type { OpenTarget } from "@/server/targets/sync-targets";
import { decryptWith } from "@/server/values/values";

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
  const { names, sensitive } = only;
  await requireValuePermission(tx, ctx, null, env, "read");
  const rows = await tx
    .select({
      variableId: environmentVariables.id,
      name: environmentVariables.name,
      classification: environmentVariables.securityClassification,
      weddingCritical: environmentVariables.isWeddingCritical,
      required: environmentVariables.isRequired,
      version: environmentVariableValues.version,
      valueHash: environmentVariableValues.valueHash,
      encryptedValue: environmentVariableValues.encryptedValue,
      encryptionKeyId: environmentVariableValues.encryptionKeyId,
      expired: sql<boolean>`coalesce(${environmentVariableValues.expiresAt} <= now(), false)`,
    })
    .from(environmentVariableValues)
    .innerJoin(environmentVariables, eq(environmentVariables.id, environmentVariableValues.variableId))
    .where(
      and(
        eq(environmentVariableValues.environmentId, env.id),
        isNull(environmentVariables.deletedAt),
        names ? sql`${environmentVariables.name} = ${anyName(names)}` : undefined,
        sensitive
          ? or(
              inArray(environmentVariables.securityClassification, ["confidential", "wedding_day_critical"]),
              eq(environmentVariables.isWeddingCritical, true),
            )
          : undefined,
      ),
    )
    .orderBy(asc(environmentVariables.name));
  const keys = await orgKeys(tx, ctx.organizationId);
  return rows.map(({ encryptedValue, encryptionKeyId, ...r }) => ({
    ...r,
    classification: r.classification as Classification,
    value: decryptWith(keys, encryptionKeyId, encryptedValue, {
      organizationId: ctx.organizationId,
      variableId: r.variableId,
      environmentId: env.id,
    }),
  }));
}

/** The values a completed sync pushed, from the value history (the console's values may have moved since). */
export async function snapshotValues(
  tx: Tx,
  ctx: TenantContext,
  open: OpenTarget,
  syncId: string,
): Promise<{ desired: DesiredKey[]; lost: string[] }> {
  await requireValuePermission(tx, ctx, null, open.env, "read");
  const [sync] = await tx
    .select({ details: deploymentSyncs.syncDetails, status: deploymentSyncs.syncStatus })
    .from(deploymentSyncs)
    .where(and(eq(deploymentSyncs.id, syncId), eq(deploymentSyncs.targetId, open.target.id)));
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
  const rows = await tx.execute<{
    name: string;
    variable_id: string;
    version: number;
    encrypted_value: string | null;
    encryption_key_id: string | null;
    value_hash: string | null;
    classification: string;
    wedding_critical: boolean;
    required: boolean;
  }>(sql`
    select w.name, w.variable_id, w.version, vv.encrypted_value, vv.encryption_key_id, vv.value_hash,
           v.security_classification as classification, v.is_wedding_critical as wedding_critical,
           v.is_required as required
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(name text, variable_id uuid, version int)
      join ${environmentVariables} v on v.id = w.variable_id
      left join ${valueVersions} vv
        on vv.variable_id = w.variable_id and vv.environment_id = ${open.env.id} and vv.version = w.version
     order by w.name`);
  const keys = await orgKeys(tx, ctx.organizationId);
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
      value: decryptWith(keys, row.encryption_key_id, row.encrypted_value, {
        organizationId: ctx.organizationId,
        variableId: row.variable_id,
        environmentId: open.env.id,
      }),
      valueHash: row.value_hash,
      classification: row.classification as Classification,
      weddingCritical: row.wedding_critical,
      required: row.required,
      expired: false,
    });
  }
  return { desired, lost };
}
