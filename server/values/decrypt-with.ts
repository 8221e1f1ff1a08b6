import type { OrgKeys } from "@/db/vault";
import { decryptValue } from "@/lib/crypto";

/**
 * Decrypts with whichever of the organization's data keys encrypted it. Kept, unchanged, for callers outside
 * this area that still load `orgKeys`; the services here decrypt through `orgVault`. Remove it with them.
 */
export function decryptWith(
  keys: OrgKeys,
  keyId: string,
  ciphertext: string,
  row: Parameters<typeof decryptValue>[2],
) {
  const key = keys.byId.get(keyId);
  if (!key) throw new Error(`data key ${keyId} is not available`);
  return decryptValue(key, ciphertext, row);
}
