import type { Tx } from "@/db/client";
import { environmentRefs } from "@/db/repos/grants";
import { healthOf, openDriftIn } from "@/db/repos/health";
import { liveVariablesNamed } from "@/db/repos/variable-rows";
import { AppError } from "@/lib/errors";
import { type ApiCaller, asCaller, environmentNamed, inScope, MACHINE_READ } from "./caller";

/** The names among these that are in the caller's scope (a token's prefix and tag; all for a person). */
async function namesInScope(tx: Tx, organizationId: string, caller: ApiCaller, names: string[]) {
  if (caller.kind === "person" || names.length === 0) return new Set(names);
  const variables = await liveVariablesNamed(tx, organizationId, [...new Set(names)]);
  return new Set(variables.filter((v) => inScope(caller, v)).map((v) => v.name));
}

/**
 * One environment's unresolved drift, worst first: variable name, kind, severity, the target it was seen on and
 * since when (never a value or a hash). A token sees the variables in its scope. Audited for a token.
 */
export async function apiDrift(caller: ApiCaller, environmentName: string, ip?: string) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const env = environmentNamed(await environmentRefs(tx, ctx), caller, environmentName);
      const rows = await openDriftIn(tx, env.id);
      const shown = await namesInScope(
        tx,
        ctx.organizationId,
        caller,
        rows.flatMap((r) => (r.name ? [r.name] : [])),
      );
      const rank = { critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
      const drift = rows
        .filter((r) => r.name === null || shown.has(r.name))
        .sort((a, b) => (rank[a.severity] ?? 4) - (rank[b.severity] ?? 4));
      return {
        result: { environment: env.name, drift },
        use: { action: "read", environmentId: env.id, details: { listed: "drift", count: drift.length } },
      };
    },
    MACHINE_READ,
  );
}

/**
 * One environment's health as the dashboard shows it: healthy / warning / critical with the reasons and the counts
 * behind them; missing required variables are named only within the caller's scope. Audited for a token.
 */
export async function apiHealth(caller: ApiCaller, environmentName: string, ip?: string) {
  return asCaller(
    caller,
    ip,
    async (tx, ctx) => {
      const env = environmentNamed(await environmentRefs(tx, ctx), caller, environmentName);
      const health = await healthOf(tx, env.id);
      if (!health) throw new AppError("forbidden");
      const named = await namesInScope(tx, ctx.organizationId, caller, health.missing_names);
      const missingNames = health.missing_names.filter((n) => named.has(n));
      return {
        result: {
          environment: env.name,
          status: health.status,
          reasons: health.reasons,
          missingVariables: health.missing_variables,
          missingNames,
          configurationDrift: health.configuration_drift,
          criticalDrift: health.critical_drift,
          failedValidations: health.failed_validations,
          lastSync: health.last_sync,
          lastFailedSync: health.last_failed_sync,
        },
        use: { action: "read", environmentId: env.id, details: { listed: "health" } },
      };
    },
    MACHINE_READ,
  );
}
