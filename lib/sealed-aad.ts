/**
 * What each secret sealed under an organization's data key is bound to (its AAD): a copy moved to another row
 * or organization does not open. Values use lib/crypto.ts `valueAad`. One definition each, for the code that
 * seals and for the key rotation that re-encrypts (server/keys/stores.ts).
 */
export const targetSecretAad = (organizationId: string, targetId: string) =>
  `ringbearer:target-secret:v1:${organizationId}:${targetId}`;

export const webhookSecretAad = (organizationId: string, endpointId: string) =>
  `webhook-endpoint:${organizationId}:${endpointId}`;

export const oauthVerifierAad = (organizationId: string, stateHash: string) =>
  `oauth-state:${organizationId}:${stateHash}`;
