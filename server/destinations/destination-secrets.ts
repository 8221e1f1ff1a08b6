import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import type { EnvironmentRef } from "@/db/repos/grants";
import { liveVariablesNamed } from "@/db/repos/variable-rows";
import { DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
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

const BROWSER_SAFE = new Set(["public", "internal"]);

/**
 * Refuses binding a browser key (a `client` field) to a variable classified confidential or wedding-day
 * critical: the consent runtime hands browser keys to `client` tokens, and would leave such a key out anyway.
 */
export async function refuseSecretInBrowser(
  tx: Tx,
  ctx: TenantContext,
  type: DestinationType,
  chosen: Record<string, string>,
) {
  const browser = boundFields(type, chosen).filter((f) => f.exposure === "client");
  if (browser.length === 0) return;
  const found = await liveVariablesNamed(
    tx,
    ctx.organizationId,
    browser.map((f) => f.variable),
  );
  const errors: Record<string, string[]> = {};
  for (const f of browser) {
    const v = found.find((r) => r.name === f.variable);
    if (v && !BROWSER_SAFE.has(v.securityClassification))
      errors[`variables.${f.field}`] = [
        `${f.variable} is ${v.securityClassification.replaceAll("_", " ")}: a key sent to browsers must be kept in a public or internal variable`,
      ];
  }
  if (Object.keys(errors).length > 0) throw new AppError("validation", errors);
}
