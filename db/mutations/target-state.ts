import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Classification } from "@/lib/risk";
import { requireValuePermission } from "../authz";
import type { Tx } from "../client";
import type { TenantContext } from "../context";
import { orgKeys } from "../keyring";
import { deploymentSyncs, environmentVariables, environmentVariableValues, valueVersions } from "../schema";
import { anyName } from "../sql-lists";
import type { OpenTarget } from "./sync-targets";
import { decryptWith } from "./values";

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

/** The environment's live values (optionally only some names), decrypted, for those who may read them. */
export async function consoleValues(
  tx: Tx,
  ctx: TenantContext,
  env: { id: string; name: string; environmentType: string },
  names?: string[],
): Promise<DesiredKey[]> {
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
  const keys = await orgKeys(tx, ctx.organizationId);
  const desired: DesiredKey[] = [];
  const lost: string[] = [];
  for (const [name, { variableId, version }] of Object.entries(snapshot)) {
    const [row] = await tx
      .select({
        encryptedValue: valueVersions.encryptedValue,
        encryptionKeyId: valueVersions.encryptionKeyId,
        valueHash: valueVersions.valueHash,
        classification: environmentVariables.securityClassification,
        weddingCritical: environmentVariables.isWeddingCritical,
        required: environmentVariables.isRequired,
      })
      .from(valueVersions)
      .innerJoin(environmentVariables, eq(environmentVariables.id, valueVersions.variableId))
      .where(
        and(
          eq(valueVersions.variableId, variableId),
          eq(valueVersions.environmentId, open.env.id),
          eq(valueVersions.version, version),
        ),
      );
    // Purged 90 days after deletion: that version's ciphertext is gone.
    if (!row?.encryptedValue || !row.encryptionKeyId) {
      lost.push(name);
      continue;
    }
    desired.push({
      variableId,
      name,
      version,
      value: decryptWith(keys, row.encryptionKeyId, row.encryptedValue, {
        organizationId: ctx.organizationId,
        variableId,
        environmentId: open.env.id,
      }),
      valueHash: row.valueHash,
      classification: row.classification as Classification,
      weddingCritical: row.weddingCritical,
      required: row.required,
      expired: false,
    });
  }
  return { desired, lost };
}
