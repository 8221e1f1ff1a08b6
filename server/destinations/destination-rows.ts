import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import {
  type DestinationChanges,
  type DestinationRow,
  destinationById,
  updateDestinationAtVersion,
} from "@/db/repos/destinations";
import { type EnvironmentRef, environmentRefs } from "@/db/repos/grants";
import { DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { hostOpened, literalHostRefusal } from "@/lib/net/outbound-policy";
import type { Risk } from "@/lib/risk";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { type DestinationCreation, typedDestination } from "@/lib/validation/destinations";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { outboundAllowlist } from "@/server/outbound";

/** What the destination services share: the audit's view of a configuration, the lock, the row and its save. */

/** What the audit keeps of a destination's configuration: plain settings only (secrets are values). */
export const configOf = (d: {
  name: string;
  description: string;
  settings: Record<string, unknown>;
  secretVariables: Record<string, string>;
  requiredConsent: string[];
  enabled: boolean;
  testMode: boolean;
}) => ({
  name: d.name,
  description: d.description,
  ...d.settings,
  variables: d.secretVariables,
  requiredConsent: d.requiredConsent,
  enabled: d.enabled,
  testMode: d.testMode,
});

/** Settings that are a provider's address (the connection test and the browser SDKs talk to it). */
const ADDRESS_SETTINGS = ["host", "apiHost"];

/**
 * A type's settings and vault fields checked (field errors), and each provider address checked against the
 * outbound policy: https, or plain http to a host the operator opened; never an address the console may not
 * reach (loopback, private ranges) unless opened.
 */
export function typed(
  type: DestinationType,
  input: Pick<DestinationCreation, "settings" | "secrets" | "variables">,
) {
  const checked = typedDestination(type, input);
  if (!checked.ok) throw new AppError("validation", checked.errors);
  const allow = outboundAllowlist();
  for (const key of ADDRESS_SETTINGS) {
    const value = checked.settings[key];
    if (typeof value !== "string") continue;
    const url = new URL(value);
    const refusal = literalHostRefusal(url.hostname, allow);
    if (refusal)
      throw new AppError("validation", {
        [`settings.${key}`]: [`The console may not reach this address (${refusal})`],
      });
    if (url.protocol !== "https:" && !hostOpened(url.hostname, allow))
      throw new AppError("validation", {
        [`settings.${key}`]: ["Use https: the provider receives your key"],
      });
  }
  return checked;
}

export const duplicate = (type: DestinationType, env: string) =>
  new AppError("conflict:exists", {
    type: [`${env} already has a ${DESTINATIONS[type].label} destination: edit it, or delete it first`],
  });

/** The destination and its environment, for owners and admins (or a reviewer replaying an approval). */
export async function destinationFor(tx: Tx, ctx: TenantContext, id: string, approved = false) {
  if (!approved) requireCapability(ctx, "integrations:manage");
  const row = await destinationById(tx, ctx.organizationId, id);
  if (!row) throw new AppError("not_found");
  const env = (await environmentRefs(tx, ctx)).find((e) => e.id === row.environmentId);
  if (!env) throw new AppError("not_found");
  return { row, env, tier: environmentTier(env.environmentType as EnvironmentType) };
}

/** Writes the changes if nobody changed the destination since `version`; the audit row says what moved. */
export async function save(
  tx: Tx,
  ctx: TenantContext,
  row: DestinationRow,
  env: EnvironmentRef,
  version: number,
  changes: DestinationChanges,
  audit: { action: "update" | "delete" | "restore"; risk: Risk; details: Record<string, unknown> },
) {
  const saved = await updateDestinationAtVersion(tx, row.id, version, changes).catch(
    (e: { code?: string; cause?: { code?: string } }) => {
      if ((e.code ?? e.cause?.code) === "23505") throw duplicate(row.type as DestinationType, env.name);
      throw e;
    },
  );
  if (!saved) throw new AppError("conflict:version", undefined, { version: row.version });
  await writeAudit(tx, ctx, {
    action: audit.action,
    resourceType: "destination",
    resourceId: row.id,
    environmentId: env.id,
    riskLevel: audit.risk.level,
    details: {
      destination: row.name,
      type: row.type,
      environment: env.name,
      risk: audit.risk.reasons,
      ...audit.details,
    },
  });
  return saved.version;
}
