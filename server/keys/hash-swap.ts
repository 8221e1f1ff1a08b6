import { type Database, getDb } from "@/db/client";
import { setLocal, type TenantContext, withContext } from "@/db/context";
import {
  activateHashKey,
  analyzeHashPairs,
  insertHashPairs,
  lockOrgKeysExclusive,
  markHashesSwapped,
  swapHashes,
  unmappedValues,
} from "@/db/repos/key-hashes";
import { lockRotation } from "@/db/repos/key-rotations";
import { DecryptionError, type HashPair, orgVault } from "@/db/vault";
import { writeAudit } from "@/server/audit/audit";

/**
 * The end of a hash-key rotation (migration 0041), in one transaction that holds the organization's key lock
 * exclusively — writes in flight finish first, later ones wait, and one that hashed under the old key is refused
 * after (key_rotated, try again); reads go on:
 * the values written since their batch are hashed under both keys too, every stored hash (values, history,
 * change-request items, drift findings) is swapped through the pairs, and the pending key becomes the active
 * one. Everything that compares hashes sees all of them under one key, before and after. Audit rows keep the
 * hashes of their time. A value that does not decrypt keeps its hash (the rotation reports it failed anyway).
 */
export async function swapHashKey(ctx: TenantContext, rotationId: string, database: Database = getDb()) {
  return withContext(
    ctx,
    async (tx) => {
      await lockOrgKeysExclusive(tx, ctx.organizationId);
      await analyzeHashPairs(tx);
      const rotation = await lockRotation(tx, rotationId);
      if (!rotation?.hmacKeyId || rotation.hashesSwappedAt) return;
      if (rotation.status !== "running" && rotation.status !== "paused") return;
      await setLocal(tx, "ringbearer.key_rotation", rotation.id);
      const vault = await orgVault(tx, ctx.organizationId);
      const pairs: HashPair[] = [];
      let unreadable = 0;
      for (const row of await unmappedValues(tx, rotation.id, ctx.organizationId)) {
        try {
          const pair = vault.rehash(
            { ciphertext: row.sealed, keyId: row.keyId },
            {
              organizationId: ctx.organizationId,
              variableId: row.variableId,
              environmentId: row.environmentId,
            },
          );
          if (pair) pairs.push(pair);
        } catch (error) {
          if (!(error instanceof DecryptionError)) throw error;
          unreadable++;
        }
      }
      await insertHashPairs(tx, rotation.id, ctx.organizationId, pairs);
      // The statement guard (migration 0041) checks each swap statement whole, instead of row by row.
      await setLocal(tx, "ringbearer.hash_swap", "on");
      const swapped = await swapHashes(tx, rotation.id, ctx.organizationId);
      await setLocal(tx, "ringbearer.hash_swap", "");
      await activateHashKey(tx, ctx.organizationId, rotation.hmacKeyId);
      await markHashesSwapped(tx, rotation.id);
      await writeAudit(tx, ctx, {
        action: "rotate",
        resourceType: "encryption_key",
        resourceId: rotation.id,
        details: { hashKeyId: rotation.hmacKeyId, swapped, hashedAtSwap: pairs.length, unreadable },
        riskLevel: "HIGH",
      });
    },
    database,
  );
}
