/**
 * The role matrix's expectations for encryption keys: owners and admins rotate, revoke and change the key
 * settings; nobody else. A rotation is kept open (paused by wedding hours over a production value) while the
 * callers try, so the admin's start meets `conflict:rotation` and the server's job writes nothing meanwhile;
 * afterwards it is finished in this process.
 */
import { withContext } from "@/db/context";
import { startRotation } from "@/server/keys/rotation";
import { runRotation } from "@/server/keys/rotation-run";
import { form, variable, type World, weddingHours } from "../role-matrix-world";
import { A, ADMIN, type Case } from "./common";

/** An open rotation for the length of one case: wedding hours, a production value waiting, then finished. */
async function openRotation(w: World) {
  await variable(w, { classification: "internal", values: { production: "matrix-key-rotation" } });
  const endWeddingHours = await weddingHours(w);
  const rotation = await withContext(w.org.owner, (tx) => startRotation(tx, w.org.owner));
  const first = await runRotation(w.org.owner, rotation.id);
  if (first.state !== "waiting") throw new Error(`the rotation did not wait: ${JSON.stringify(first)}`);
  return { rotation, endWeddingHours };
}

export const KEYS: Record<string, Case> = {
  [`${A}keys.ts#startRotationAction`]: {
    allowed: [],
    outcome: { admin: "code:conflict:rotation" },
    args: async (w) => [w.org.slug, null, form({ confirm: "rotate" })],
    around: async (w) => {
      const { rotation, endWeddingHours } = await openRotation(w);
      return async () => {
        await endWeddingHours();
        await runRotation(w.org.owner, rotation.id);
      };
    },
  },
  // The active version cannot be revoked: the admin is told why; the others are refused before that.
  [`${A}keys.ts#revokeKeyAction`]: {
    allowed: [],
    outcome: { admin: "code:conflict:key_in_use" },
    args: async (w) => {
      const [active] = await w.superSql<{ keyId: string }[]>`select key_id as "keyId" from encryption_keys
        where organization_id = ${w.org.id} and key_type = 'data' and key_status = 'active'`;
      return [w.org.slug, null, form({ keyId: active.keyId })];
    },
  },
  [`${A}keys.ts#saveKeyPolicyAction`]: {
    allowed: ADMIN,
    args: async (w) => [w.org.slug, null, form({ minDecryptionVersion: "1", dataKeyRotationDays: "90" })],
  },
};
