import "server-only";
import type { Tx } from "@/db/client";
import { type TenantContext, withContext } from "@/db/context";
import { type DestinationRow, destinationById, destinationList } from "@/db/repos/destinations";
import { environmentRefs } from "@/db/repos/grants";
import { valueHeads } from "@/db/repos/value-rows";
import { liveVariablesNamed } from "@/db/repos/variable-rows";
import { DESTINATION_TYPES, DESTINATIONS, type DestinationType } from "@/lib/destinations/types";
import { type EnvironmentType, environmentTier } from "@/lib/roles";
import { requireCapability } from "@/server/authz";
import { boundFields } from "./destination-secrets";

/**
 * What the destinations pages read (every member: `metadata:read`): plain configuration, connection status and,
 * for each vault field, its variable and whether that variable has a value in the destination's environment —
 * from the value heads only. Nothing here decrypts a value or returns one.
 */

/** A destination as the pages show it: the columns they need, never its row whole. */
export type DestinationView = {
  id: string;
  name: string;
  description: string;
  type: DestinationType;
  typeLabel: string;
  environment: string;
  /** The environment's tier is production (production or disaster recovery): changes there may need a reviewer. */
  production: boolean;
  enabled: boolean;
  testMode: boolean;
  requiredConsent: string[];
  connectionStatus: string;
  lastTestedAt: Date | null;
  lastError: string | null;
  version: number;
  deletedAt: Date | null;
};

/** A vault field of a destination: where it is kept and whether it has a value there (never the value). */
export type VaultFieldView = {
  field: string;
  label: string;
  exposure: "client" | "server";
  variable: string;
  /** The variable's id, when it exists (a link to its page). */
  variableId: string | null;
  hasValue: boolean;
};

function view(row: DestinationRow, env: { name: string; environmentType: string }): DestinationView {
  const type = row.type as DestinationType;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type,
    typeLabel: DESTINATIONS[type]?.label ?? row.type,
    environment: env.name,
    production: environmentTier(env.environmentType as EnvironmentType) === "production",
    enabled: row.enabled,
    testMode: row.testMode,
    requiredConsent: row.requiredConsent,
    connectionStatus: row.connectionStatus,
    lastTestedAt: row.lastTestedAt,
    lastError: row.lastError,
    version: row.version,
    deletedAt: row.deletedAt,
  };
}

/** The organization's destinations, live and deleted, by environment (promotion order) and type. */
export async function destinationsPage(ctx: TenantContext) {
  requireCapability(ctx, "metadata:read");
  return withContext(ctx, async (tx) => {
    const live = await destinationList(tx, ctx.organizationId, false);
    const deleted = await destinationList(tx, ctx.organizationId, true);
    const shown = (rows: typeof live) =>
      rows.map((r) => view(r, { name: r.environment, environmentType: r.environmentType }));
    return { live: shown(live), deleted: shown(deleted) };
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

/** One destination (live or deleted) with its vault fields, or null when the organization has none by that id. */
export async function destinationDetail(ctx: TenantContext, id: string) {
  requireCapability(ctx, "metadata:read");
  return withContext(ctx, async (tx) => {
    const row = await destinationById(tx, ctx.organizationId, id);
    if (!row) return null;
    const env = (await environmentRefs(tx, ctx)).find((e) => e.id === row.environmentId);
    if (!env) return null;
    const type = row.type as DestinationType;
    const fields = boundFields(type, row.secretVariables);
    const ids = await variableIds(
      tx,
      ctx,
      fields.map((f) => f.variable),
    );
    const withValue = await namesWithValue(tx, env.id, ids);
    const vault: VaultFieldView[] = fields.map((f) => ({
      field: f.field,
      label: f.label,
      exposure: f.exposure,
      variable: f.variable,
      variableId: ids.get(f.variable) ?? null,
      hasValue: withValue.has(f.variable),
    }));
    return {
      ...view(row, env),
      settings: row.settings,
      vault,
    };
  });
}

export type DestinationDetail = NonNullable<Awaited<ReturnType<typeof destinationDetail>>>;

/**
 * For a new destination: per environment (by name), which of the types' default vault variables already have a
 * value there, so the form can say "set" before anything is typed.
 */
export async function defaultVaultValues(ctx: TenantContext, environments: { id: string; name: string }[]) {
  requireCapability(ctx, "metadata:read");
  const names = DESTINATION_TYPES.flatMap((t) => DESTINATIONS[t].vault.map((f) => f.variable));
  return withContext(ctx, async (tx) => {
    const ids = await variableIds(tx, ctx, names);
    const out: Record<string, string[]> = {};
    for (const env of environments) out[env.name] = [...(await namesWithValue(tx, env.id, ids))];
    return out;
  });
}
