import type { Tx } from "@/db/client";
import type { TenantContext } from "@/db/context";
import { type EnvironmentRef, environmentRefs } from "@/db/repos/grants";
import {
  type IntegrationChanges,
  type IntegrationRow,
  integrationById,
  updateIntegrationAtVersion,
} from "@/db/repos/integrations";
import { AppError } from "@/lib/errors";
import { type ConfigType, PLATFORM_SPECS, type Platform } from "@/lib/integrations/platforms";
import type { Risk } from "@/lib/risk";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { type IntegrationCreation, typedIntegration } from "@/lib/validation/integrations";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";

/** What the integration services share: the audit's view of a config, the row and its save. */

/** What the audit keeps of a config: plain settings only (secrets are values, audited on their own). */
export const configOf = (c: {
  name: string;
  isPrimary: boolean;
  isActive: boolean;
  settings: Record<string, unknown>;
  secretVariables: Record<string, string>;
}) => ({
  name: c.name,
  isPrimary: c.isPrimary,
  isActive: c.isActive,
  ...c.settings,
  variables: c.secretVariables,
});

export const labelOf = (platform: string) => PLATFORM_SPECS[platform as Platform].label;

export function typed(
  platform: Platform,
  configType: ConfigType,
  input: Parameters<typeof typedIntegration>[2],
) {
  const checked = typedIntegration(platform, configType, input);
  if (!checked.ok) throw new AppError("validation", checked.errors);
  return checked;
}

/** The refusal of a second live config of a kind, or of a second primary, in an environment. */
export const duplicate = (platform: string, env: string, what: "kind" | "primary") =>
  new AppError("conflict:exists", {
    ...(what === "kind"
      ? {
          configType: [
            `${env} already has a ${labelOf(platform)} config of this kind: edit it, or delete it first`,
          ],
        }
      : {
          isPrimary: [
            `${env} already has a primary ${labelOf(platform)} config: make that one not primary first`,
          ],
        }),
  });

/** The config and its environment, for owners and admins (or a reviewer replaying an approval). */
export async function integrationFor(tx: Tx, ctx: TenantContext, id: string, approved = false) {
  if (!approved) requireCapability(ctx, "integrations:manage");
  const row = await integrationById(tx, ctx.organizationId, id);
  if (!row) throw new AppError("not_found");
  const env = (await environmentRefs(tx, ctx)).find((e) => e.id === row.environmentId);
  if (!env) throw new AppError("not_found");
  return { row, env, tier: environmentTier(env.environmentType as EnvironmentType) };
}

/** Writes the changes if nobody changed the config since `version`; the audit row says what moved. */
export async function save(
  tx: Tx,
  ctx: TenantContext,
  row: IntegrationRow,
  env: EnvironmentRef,
  version: number,
  changes: IntegrationChanges,
  audit: { action: "update" | "delete" | "restore"; risk: Risk; details: Record<string, unknown> },
) {
  const saved = await updateIntegrationAtVersion(tx, row.id, version, changes).catch(
    (e: { code?: string; cause?: { code?: string; constraint_name?: string }; constraint_name?: string }) => {
      if ((e.code ?? e.cause?.code) !== "23505") throw e;
      const constraint = e.constraint_name ?? e.cause?.constraint_name ?? "";
      throw duplicate(row.platform, env.name, constraint.includes("primary") ? "primary" : "kind");
    },
  );
  if (!saved) throw new AppError("conflict:version", undefined, { version: row.version });
  await writeAudit(tx, ctx, {
    action: audit.action,
    resourceType: "integration",
    resourceId: row.id,
    environmentId: env.id,
    riskLevel: audit.risk.level,
    details: {
      integration: row.name,
      platform: row.platform,
      kind: row.configType,
      environment: env.name,
      risk: audit.risk.reasons,
      ...audit.details,
    },
  });
  return saved.version;
}

export type { IntegrationCreation };
