import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { insertDestination, liveDestination } from "@/db/repos/destinations";
import { environmentRefs } from "@/db/repos/grants";
import type { DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { configRiskIn } from "@/lib/integrations/risk";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import type { DestinationCreation, DestinationUpdate } from "@/lib/validation/destinations";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { changedFields, refuseLocked, secretNotes } from "@/server/connectors/config-changes";
import { configOf, destinationFor, duplicate, save, typed } from "./destination-rows";
import { refuseSecretInBrowser, type SecretOutcome, writeDestinationSecrets } from "./destination-secrets";

export type DestinationSaved = {
  status: "applied";
  id: string;
  version: number;
  /** Each vault field given a new value: written, or waiting in a change request. */
  secrets: SecretOutcome[];
};

/**
 * Adds a destination (integrations:manage): its typed settings, consent, enabled and test mode; the vault fields
 * given a value are written as values of their variables (made the first time). One live destination per type
 * and environment. Refused in a locked environment during wedding hours. Audited with its configuration.
 */
export async function createDestination(
  tx: Tx,
  ctx: TenantContext,
  input: DestinationCreation,
): Promise<DestinationSaved> {
  requireCapability(ctx, "integrations:manage");
  const checked = typed(input.type, input);
  await refuseSecretInBrowser(tx, ctx, input.type, checked.variables);
  const env = (await environmentRefs(tx, ctx)).find((e) => e.name === input.environment);
  if (!env)
    throw new AppError("validation", { environment: [`No environment is named ${input.environment}`] });
  await refuseLocked(tx, ctx, env, "Destinations");
  if (await liveDestination(tx, ctx.organizationId, input.type, env.id))
    throw duplicate(input.type, env.name);
  const values = {
    name: input.name,
    description: input.description ?? "",
    settings: checked.settings,
    secretVariables: checked.variables,
    requiredConsent: input.requiredConsent,
    enabled: input.enabled,
    testMode: input.testMode,
  };
  const row = await insertDestination(tx, {
    ...values,
    organizationId: ctx.organizationId,
    environmentId: env.id,
    type: input.type,
    createdBy: ctx.userId,
  });
  if (!row) throw duplicate(input.type, env.name);
  const secrets = await writeDestinationSecrets(
    tx,
    ctx,
    env,
    input.type,
    checked.variables,
    checked.secrets,
    input.reason,
  );
  const risk = configRiskIn(environmentTier(env.environmentType as EnvironmentType), {
    kind: "update",
    before: {},
    after: configOf(values),
    secretsChanged: [],
  });
  await writeAudit(tx, ctx, {
    action: "create",
    resourceType: "destination",
    resourceId: row.id,
    environmentId: env.id,
    riskLevel: risk.level,
    details: {
      destination: input.name,
      type: input.type,
      environment: env.name,
      configuration: configOf(values),
      ...(secrets.length ? { secrets: secretNotes(secrets) } : {}),
    },
  });
  return { status: "applied", id: row.id, version: row.version, secrets };
}

/**
 * Changes a live destination at the version the form showed: settings, consent, enabled, test mode, which
 * variables hold its vault fields, and new values for them (through the value path: a production secret waits
 * for a reviewer there). Its type and environment stay. Refused in a locked environment during wedding hours.
 */
export async function updateDestination(
  tx: Tx,
  ctx: TenantContext,
  input: DestinationUpdate,
): Promise<DestinationSaved> {
  const { row, env, tier } = await destinationFor(tx, ctx, input.id);
  if (row.deletedAt) throw new AppError("not_found");
  if (row.version !== input.version)
    throw new AppError("conflict:version", undefined, { version: row.version });
  const type = row.type as DestinationType;
  const checked = typed(type, input);
  await refuseSecretInBrowser(tx, ctx, type, checked.variables);
  const next = {
    name: input.name,
    description: input.description ?? "",
    settings: checked.settings,
    secretVariables: checked.variables,
    requiredConsent: input.requiredConsent,
    enabled: input.enabled,
    testMode: input.testMode,
  };
  const before = configOf(row);
  const after = configOf(next);
  const changed = changedFields(before, after);
  const configChanged = Object.keys(changed).length > 0;
  if (configChanged || Object.keys(checked.secrets).length > 0)
    await refuseLocked(tx, ctx, env, "Destinations");
  const secrets = await writeDestinationSecrets(
    tx,
    ctx,
    env,
    type,
    next.secretVariables,
    checked.secrets,
    input.reason,
  );
  if (!configChanged && secrets.length === 0)
    return { status: "applied", id: row.id, version: row.version, secrets };
  const risk = configRiskIn(tier, {
    kind: "update",
    before,
    after,
    secretsChanged: secrets.map((s) => s.field),
  });
  const version = configChanged
    ? await save(tx, ctx, row, env, input.version, next, {
        action: "update",
        risk,
        details: { changed, ...(secrets.length ? { secrets: secretNotes(secrets) } : {}) },
      })
    : row.version;
  if (!configChanged)
    await writeAudit(tx, ctx, {
      action: "update",
      resourceType: "destination",
      resourceId: row.id,
      environmentId: env.id,
      riskLevel: risk.level,
      details: { destination: row.name, type, environment: env.name, secrets: secretNotes(secrets) },
    });
  return { status: "applied", id: row.id, version, secrets };
}
