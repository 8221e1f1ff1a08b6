import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { insertIntegration, liveIntegration } from "@/db/repos/integrations";
import { AppError } from "@/lib/errors";
import type { Platform } from "@/lib/integrations/platforms";
import { configRiskIn } from "@/lib/integrations/risk";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import {
  type IntegrationCreation,
  type IntegrationUpdate,
  vaultFieldsOf,
} from "@/lib/validation/integrations";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { changedFields, refuseLocked, secretNotes } from "@/server/connectors/config-changes";
import { bindFields, type SecretOutcome, writeVaultFields } from "@/server/connectors/vault-fields";
import { configOf, duplicate, integrationFor, labelOf, save, typed } from "./integration-rows";

export type IntegrationSaved = { status: "applied"; id: string; version: number; secrets: SecretOutcome[] };

const ownerOf = (platform: string) => ({ label: labelOf(platform), kind: "integration", tag: "integration" });

/**
 * Adds an integration config (integrations:manage): its typed settings (sync, features, rules) and, for the vault
 * fields given a value, values of their variables (made the first time) through the one write path — a
 * production secret there waits for a reviewer. One live config per platform, kind and environment, and one
 * primary per platform and environment. Refused in a locked environment during wedding hours. Audited.
 */
export async function createIntegration(
  tx: Tx,
  ctx: TenantContext,
  input: IntegrationCreation,
): Promise<IntegrationSaved> {
  requireCapability(ctx, "integrations:manage");
  const checked = typed(input.platform, input.configType, input);
  const env = (await environmentRefs(tx, ctx)).find((e) => e.name === input.environment);
  if (!env)
    throw new AppError("validation", { environment: [`No environment is named ${input.environment}`] });
  await refuseLocked(tx, ctx, env, "Integrations");
  const where = { platform: input.platform, environmentId: env.id };
  if (await liveIntegration(tx, ctx.organizationId, { ...where, configType: input.configType }))
    throw duplicate(input.platform, env.name, "kind");
  if (input.isPrimary && (await liveIntegration(tx, ctx.organizationId, where)))
    throw duplicate(input.platform, env.name, "primary");
  const values = {
    name: input.name,
    isPrimary: input.isPrimary,
    isActive: input.isActive,
    settings: checked.settings,
    secretVariables: checked.variables,
  };
  const row = await insertIntegration(tx, {
    ...values,
    organizationId: ctx.organizationId,
    environmentId: env.id,
    platform: input.platform,
    configType: input.configType,
    createdBy: ctx.userId,
  });
  if (!row) throw duplicate(input.platform, env.name, "kind");
  const fields = bindFields(vaultFieldsOf(input.platform, input.configType), checked.variables);
  const secrets = await writeVaultFields(
    tx,
    ctx,
    env,
    ownerOf(input.platform),
    fields,
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
    resourceType: "integration",
    resourceId: row.id,
    environmentId: env.id,
    riskLevel: risk.level,
    details: {
      integration: input.name,
      platform: input.platform,
      kind: input.configType,
      environment: env.name,
      configuration: configOf(values),
      ...(secrets.length ? { secrets: secretNotes(secrets) } : {}),
    },
  });
  return { status: "applied", id: row.id, version: row.version, secrets };
}

/**
 * Changes a live config at the version the form showed: settings, features, rules, primary, active, which
 * variables hold its vault fields and new values for them (a production secret waits for a reviewer through the
 * value path). Its platform, kind and environment stay. The audit row has each setting before and after, with
 * the change's risk (seed 002). Refused in a locked environment during wedding hours.
 */
export async function updateIntegration(
  tx: Tx,
  ctx: TenantContext,
  input: IntegrationUpdate,
): Promise<IntegrationSaved> {
  const { row, env, tier } = await integrationFor(tx, ctx, input.id);
  if (row.deletedAt) throw new AppError("not_found");
  if (row.version !== input.version)
    throw new AppError("conflict:version", undefined, { version: row.version });
  const platform = row.platform as Platform;
  const configType = row.configType as IntegrationCreation["configType"];
  const checked = typed(platform, configType, input);
  const next = {
    name: input.name,
    isPrimary: input.isPrimary,
    isActive: input.isActive,
    settings: checked.settings,
    secretVariables: checked.variables,
  };
  const before = configOf(row);
  const after = configOf(next);
  const changed = changedFields(before, after);
  const configChanged = Object.keys(changed).length > 0;
  if (configChanged || Object.keys(checked.secrets).length > 0)
    await refuseLocked(tx, ctx, env, "Integrations");
  if (
    input.isPrimary &&
    !row.isPrimary &&
    (await liveIntegration(tx, ctx.organizationId, { platform, environmentId: env.id, exceptId: row.id }))
  )
    throw duplicate(platform, env.name, "primary");
  const fields = bindFields(vaultFieldsOf(platform, configType), next.secretVariables);
  const secrets = await writeVaultFields(
    tx,
    ctx,
    env,
    ownerOf(platform),
    fields,
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
  const details = {
    ...(configChanged ? { changed } : {}),
    ...(secrets.length ? { secrets: secretNotes(secrets) } : {}),
  };
  // A change of secrets alone moves no setting: its row is written as it is (the version moves, the audit says why).
  const version = await save(tx, ctx, row, env, input.version, configChanged ? next : {}, {
    action: "update",
    risk,
    details,
  });
  return { status: "applied", id: row.id, version, secrets };
}
