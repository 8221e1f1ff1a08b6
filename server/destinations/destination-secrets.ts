import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import type { EnvironmentRef } from "@/db/repos/grants";
import { DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { bindFields, type SecretOutcome, writeVaultFields } from "@/server/connectors/vault-fields";

export type { SecretOutcome };

/** Each vault field of a destination type with the variable it is kept in: the destination's choice, or the default. */
export const boundFields = (type: DestinationType, chosen: Record<string, string>) =>
  bindFields(DESTINATIONS[type].vault, chosen);

/** Writes a destination's vault fields given a new value, as values of their variables (vault-fields.ts). */
export function writeDestinationSecrets(
  tx: Tx,
  ctx: TenantContext,
  env: EnvironmentRef,
  type: DestinationType,
  chosen: Record<string, string>,
  secrets: Record<string, string>,
  reason: string | undefined,
) {
  const owner = { label: DESTINATIONS[type].label, kind: "analytics destination", tag: "destination" };
  return writeVaultFields(tx, ctx, env, owner, boundFields(type, chosen), secrets, reason);
}
