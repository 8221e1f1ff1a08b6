import type { KeyStore, SealedRow } from "@/db/repos/key-stores";
import type { HashPair, OrgVault, Sealed } from "@/db/vault";
import { oauthVerifierAad, targetSecretAad, webhookSecretAad } from "@/lib/sealed-aad";

/**
 * Re-encrypts one sealed row of a store under the organization's active data key, with the associated data it
 * was sealed to: values, their history and proposed values by variable and environment; secrets by their row.
 * Throws DecryptionError when the ciphertext does not open (the rotation records it as a failure). Values come
 * back with their hashes under the active and the pending hash key while a hash-key rotation is under way.
 */
export function reseal(
  vault: OrgVault,
  store: KeyStore,
  organizationId: string,
  row: SealedRow,
): Sealed & { hashes?: HashPair } {
  const sealed = { ciphertext: row.sealed, keyId: row.keyId };
  switch (store) {
    case "values":
    case "value_versions":
    case "change_request_items":
      return vault.resealValue(sealed, {
        organizationId,
        variableId: row.fields.variable_id,
        environmentId: row.fields.environment_id,
      });
    case "sync_targets":
      return vault.resealSecret(sealed, targetSecretAad(organizationId, row.id));
    case "webhook_secrets":
    case "webhook_previous_secrets":
      return vault.resealSecret(sealed, webhookSecretAad(organizationId, row.id));
    case "oauth_states":
      return vault.resealSecret(sealed, oauthVerifierAad(organizationId, row.fields.state_hash));
  }
}
