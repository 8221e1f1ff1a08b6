import "server-only";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { environmentRefs } from "@/db/repos/grants";
import { inboundLog } from "@/db/repos/integration-events";
import { healthHistory } from "@/db/repos/integration-health";
import { type IntegrationRow, integrationById, integrationList } from "@/db/repos/integrations";
import { latestGrant } from "@/db/repos/oauth";
import { valueHeads } from "@/db/repos/value-rows";
import { liveVariablesNamed } from "@/db/repos/variable-rows";
import { isChecked } from "@/lib/integrations/health";
import {
  CONFIG_TYPES,
  type ConfigType,
  type HealthStatus,
  PLATFORM_SPECS,
  PLATFORMS,
  type Platform,
} from "@/lib/integrations/platforms";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { vaultFieldsOf } from "@/lib/validation/integrations";
import { requireCapability } from "@/server/authz";
import { bindFields } from "@/server/connectors/vault-fields";

/**
 * What the integrations pages read (every member: `metadata:read`): plain configuration, health and the circuit
 * breaker, and for each vault field its variable and whether that variable has a value in the config's
 * environment — from the value heads only. Nothing here decrypts a value or returns one.
 */

export const CONFIG_TYPE_LABELS: Record<ConfigType, string> = {
  api_key: "API key",
  oauth: "OAuth",
  webhook: "Webhook",
  settings: "Settings",
};

/** A config as the pages show it: the columns they need, never its row whole. */
export type IntegrationView = {
  id: string;
  name: string;
  platform: Platform;
  platformLabel: string;
  configType: ConfigType;
  configTypeLabel: string;
  environment: string;
  /** The environment's tier is production (production or disaster recovery): changes there may need a reviewer. */
  production: boolean;
  isPrimary: boolean;
  isActive: boolean;
  /** Whether this kind of config has a health check (webhook and settings configs have none). */
  checked: boolean;
  health: HealthStatus;
  healthMessage: string | null;
  latencyMs: number | null;
  lastCheckAt: Date | null;
  circuit: string;
  consecutiveFailures: number;
  version: number;
  deletedAt: Date | null;
};

function view(row: IntegrationRow, env: { name: string; environmentType: string }): IntegrationView {
  const platform = row.platform as Platform;
  const configType = row.configType as ConfigType;
  return {
    id: row.id,
    name: row.name,
    platform,
    platformLabel: PLATFORM_SPECS[platform]?.label ?? row.platform,
    configType,
    configTypeLabel: CONFIG_TYPE_LABELS[configType] ?? row.configType,
    environment: env.name,
    production: environmentTier(env.environmentType as EnvironmentType) === "production",
    isPrimary: row.isPrimary,
    isActive: row.isActive,
    checked: PLATFORM_SPECS[platform] ? isChecked(platform, configType) : false,
    health: row.healthStatus as HealthStatus,
    healthMessage: row.healthMessage,
    latencyMs: row.healthLatencyMs,
    lastCheckAt: row.lastHealthCheck,
    circuit: row.circuitState,
    consecutiveFailures: row.consecutiveFailures,
    version: row.version,
    deletedAt: row.deletedAt,
  };
}

/** The organization's configs, live and deleted, by environment (promotion order), platform and kind. */
export async function integrationsPage(ctx: TenantContext) {
  requireCapability(ctx, "metadata:read");
  return withContext(ctx, async (tx) => {
    const shown = async (deleted: boolean) =>
      (await integrationList(tx, ctx.organizationId, deleted)).map((r) =>
        view(r, { name: r.environment, environmentType: r.environmentType }),
      );
    return { live: await shown(false), deleted: await shown(true) };
  });
}

/** The live variables with these names: name → id. */
async function variableIds(tx: Tx, ctx: TenantContext, names: string[]) {
  if (names.length === 0) return new Map<string, string>();
  const variables = await liveVariablesNamed(tx, ctx.organizationId, [...new Set(names)]);
  return new Map(variables.map((v) => [v.name, v.id]));
}

/** The names among `ids` whose variable has a value in the environment (its head: no value is read). */
async function namesWithValue(tx: Tx, environmentId: string, ids: Map<string, string>) {
  if (ids.size === 0) return new Set<string>();
  const heads = await valueHeads(tx, environmentId, [...ids.values()]);
  const set = new Set(heads.map((h) => h.variable_id));
  return new Set([...ids].filter(([, id]) => set.has(id)).map(([name]) => name));
}

/** The plain settings the form edits, read leniently (a row written before a field existed still shows). */
function formSettings(settings: Record<string, unknown>) {
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const features = settings.features;
  return {
    syncIntervalMinutes: Number(settings.syncIntervalMinutes ?? 60),
    syncDirection: typeof settings.syncDirection === "string" ? settings.syncDirection : "inbound",
    features:
      typeof features === "object" && features !== null
        ? Object.entries(features)
            .filter(([, on]) => on === true)
            .map(([name]) => name)
        : [],
    clientId: typeof settings.clientId === "string" ? settings.clientId : "",
    scopes: typeof settings.scopes === "string" ? settings.scopes : "",
    mappingRules: list(settings.mappingRules),
    filterRules: list(settings.filterRules),
    transformRules: list(settings.transformRules),
  };
}

/**
 * One config (live or deleted) with its settings, its vault fields (set or not), its last 50 health checks and
 * its last 50 inbound events, or null when the organization has none by that id.
 */
export async function integrationDetail(ctx: TenantContext, id: string) {
  requireCapability(ctx, "metadata:read");
  return withContext(ctx, async (tx) => {
    const row = await integrationById(tx, ctx.organizationId, id);
    if (!row) return null;
    const env = (await environmentRefs(tx, ctx)).find((e) => e.id === row.environmentId);
    if (!env) return null;
    const shown = view(row, env);
    const fields = bindFields(vaultFieldsOf(shown.platform, shown.configType), row.secretVariables);
    const ids = await variableIds(
      tx,
      ctx,
      fields.map((f) => f.variable),
    );
    const withValue = await namesWithValue(tx, env.id, ids);
    const history = await healthHistory(tx, row.id, 50);
    const events = await inboundLog(tx, row.id, 50);
    const grant = row.configType === "oauth" ? await latestGrant(tx, row.id) : undefined;
    return {
      ...shown,
      settings: formSettings(row.settings),
      vault: fields.map((f) => ({
        field: f.field,
        label: f.label,
        exposure: f.exposure,
        /** Written by the console (an OAuth grant's tokens), never typed into the form. */
        managed: (f as { managed?: boolean }).managed === true,
        variable: f.variable,
        variableId: ids.get(f.variable) ?? null,
        hasValue: withValue.has(f.variable),
      })),
      history: history.map((h) => ({
        id: h.id,
        status: h.status as HealthStatus,
        latencyMs: h.latencyMs,
        httpStatus: h.httpStatus,
        message: h.message,
        circuit: h.circuitState,
        checkedAt: h.checkedAt,
      })),
      /** The OAuth grant (never a token): which account, scopes, expiry, and whether and why it ended. */
      grant: grant
        ? {
            active: grant.isActive,
            account: grant.stripeAccountId ?? grant.hubspotPortalId ?? grant.quickbooksRealmId ?? null,
            livemode: grant.stripeLivemode,
            scopes: grant.scopes,
            connectedAt: grant.createdAt,
            accessExpiresAt: grant.accessExpiresAt,
            refreshedAt: grant.refreshedAt,
            revokedAt: grant.revokedAt,
            revokedReason: grant.revokedReason,
          }
        : null,
      events: events.map((e) => ({
        id: e.id,
        receivedAt: e.receivedAt,
        eventType: e.eventType,
        eventId: e.providerEventId,
        signatureValid: e.signatureValid,
        outcome: e.outcome,
        detail: e.detail,
      })),
    };
  });
}

export type IntegrationDetail = NonNullable<Awaited<ReturnType<typeof integrationDetail>>>;

/**
 * For a new config: per environment (by name), which of the platforms' default vault variables already have a
 * value there, so the form can say "set" before anything is typed.
 */
export async function defaultIntegrationVaultValues(
  ctx: TenantContext,
  environments: { id: string; name: string }[],
) {
  requireCapability(ctx, "metadata:read");
  const names = PLATFORMS.flatMap((p) =>
    CONFIG_TYPES.flatMap((k) => vaultFieldsOf(p, k).map((f) => f.variable)),
  );
  return withContext(ctx, async (tx) => {
    const ids = await variableIds(tx, ctx, names);
    const out: Record<string, string[]> = {};
    for (const env of environments) out[env.name] = [...(await namesWithValue(tx, env.id, ids))];
    return out;
  });
}
