import { type TenantContext, withContext } from "@/db/context";
import { activeConnection, recordHealth } from "@/db/repos/integration-health";
import { integrationById } from "@/db/repos/integrations";
import { environmentValueRows } from "@/db/repos/values";
import { afterAttempt, type Circuit, type CircuitState, circuitAllows } from "@/lib/circuit-breaker";
import type { Probe } from "@/lib/destinations/connection";
import { AppError } from "@/lib/errors";
import {
  DEFAULT_PLATFORM_BASES,
  HEALTH,
  type HealthReading,
  healthProbe,
  type PlatformBases,
  readHealth,
} from "@/lib/integrations/health";
import type { ConfigType, Platform } from "@/lib/integrations/platforms";
import { guardedFetch, type Transport } from "@/lib/net/guarded-fetch";
import { vaultFieldsOf } from "@/lib/validation/integrations";
import { bindFields } from "@/server/connectors/vault-fields";
import { outboundAllowlist } from "@/server/outbound";
import { decryptedEntries } from "@/server/values/export";
import { refreshIfDue } from "./oauth";

/** The providers' API addresses: the real ones, or the operator's (tests point them at local fakes). */
export function platformBases(env: NodeJS.ProcessEnv = process.env): PlatformBases {
  return {
    stripe: env.RINGBEARER_STRIPE_API_URL || DEFAULT_PLATFORM_BASES.stripe,
    hubspot: env.RINGBEARER_HUBSPOT_API_URL || DEFAULT_PLATFORM_BASES.hubspot,
    quickbooks: env.RINGBEARER_QUICKBOOKS_API_URL || DEFAULT_PLATFORM_BASES.quickbooks,
  };
}

export type HealthOptions = {
  transport?: Transport;
  bases?: PlatformBases;
  now?: Date;
  rules?: { slowMs?: number; threshold: number; resetSeconds: number };
};

export type HealthOutcome =
  | ({ checked: true; circuit: CircuitState; latencyMs: number | null } & HealthReading)
  | { checked: false; circuit: CircuitState; retryInSeconds: number };

/** Sends the probe and reads the answer (status and time; the body is not kept: it may hold account data). */
async function probeOnce(transport: Transport, probe: Probe, slowMs?: number) {
  const started = performance.now();
  try {
    const response = await transport(probe.url, {
      method: probe.method,
      headers: { ...probe.headers, "user-agent": "Ringbearer-Health/1" },
      signal: AbortSignal.timeout(HEALTH.timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel().catch(() => {});
    const latencyMs = Math.round(performance.now() - started);
    const reading = readHealth({ status: response.status, latencyMs });
    const slow = slowMs !== undefined && reading.status === "healthy" && latencyMs > slowMs;
    return {
      reading: slow ? { status: "degraded" as const, message: `Slow: answered in ${latencyMs} ms` } : reading,
      latencyMs,
      httpStatus: response.status,
    };
  } catch (error) {
    const timedOut =
      (error as { name?: string }).name === "TimeoutError" || String(error).includes("timeout");
    return {
      reading: readHealth({ failure: timedOut ? "timeout" : "connect" }),
      latencyMs: Math.round(performance.now() - started),
      httpStatus: null,
    };
  }
}

/**
 * Checks one integration config's health (the scheduled job, or "Check now"): its credential is read from the
 * vault in its environment and used for one read at the provider, never shown or kept elsewhere. The circuit
 * breaker holds checks back while it is open (a failing provider is not hammered), then lets one trial through.
 * UNHEALTHY counts as a failure; the outcome goes into the config and its history, and a change of health is a
 * live event (and, to or from UNHEALTHY, a webhook event: migration 0036). Three short transactions: no
 * connection is held while the provider answers.
 */
export async function checkIntegration(
  ctx: TenantContext,
  id: string,
  options: HealthOptions = {},
): Promise<HealthOutcome> {
  const now = options.now ?? new Date();
  const rules = options.rules ?? HEALTH;
  // An OAuth grant about to run out is renewed first (its refresh is this job's too).
  await refreshIfDue(ctx, id, { transport: options.transport, now });
  const prepared = await withContext(ctx, async (tx) => {
    const row = await integrationById(tx, ctx.organizationId, id);
    if (!row || row.deletedAt) throw new AppError("not_found");
    const circuit: Circuit = {
      state: row.circuitState as CircuitState,
      consecutiveFailures: row.consecutiveFailures,
      openedAt: row.circuitOpenedAt,
    };
    const allowed = circuitAllows(circuit, now, rules.resetSeconds);
    if (!allowed.ok) {
      const nextCheckAt = new Date(now.getTime() + allowed.waitSeconds * 1000);
      await recordHealth(tx, {
        organizationId: ctx.organizationId,
        configId: id,
        status: row.healthStatus,
        message: "",
        latencyMs: null,
        httpStatus: null,
        circuit,
        nextCheckAt,
        checked: false,
      });
      return {
        held: { checked: false as const, circuit: circuit.state, retryInSeconds: allowed.waitSeconds },
      };
    }
    const platform = row.platform as Platform;
    const configType = row.configType as ConfigType;
    const fields = bindFields(vaultFieldsOf(platform, configType), row.secretVariables);
    const rows = await environmentValueRows(
      tx,
      row.environmentId,
      fields.map((f) => f.variable),
    );
    const entries = await decryptedEntries(tx, ctx.organizationId, row.environmentId, rows);
    const keys = Object.fromEntries(
      fields.map((f) => [f.field, entries.find((e) => e.key === f.variable)?.value]),
    );
    const realmId = platform === "quickbooks" ? (await activeConnection(tx, id))?.quickbooksRealmId : null;
    const plan = healthProbe(platform, configType, keys, options.bases ?? platformBases(), realmId);
    if ("unchecked" in plan)
      throw new AppError("validation", { form: ["This kind of config has no health check"] });
    const interval = Number(row.settings.syncIntervalMinutes ?? 60);
    return {
      row,
      fields,
      plan,
      circuit: { ...circuit, state: allowed.trial ? ("half_open" as const) : circuit.state },
      interval,
    };
  });
  if ("held" in prepared && prepared.held) return prepared.held;
  if (!("plan" in prepared)) throw new AppError("not_found");
  const { fields, plan, circuit } = prepared;
  const sent =
    "probe" in plan
      ? await probeOnce(
          options.transport ?? guardedFetch(outboundAllowlist()),
          plan.probe,
          options.rules?.slowMs,
        )
      : {
          reading: {
            status: "unhealthy" as const,
            message:
              "missing" in plan
                ? plan.missing === "realmId"
                  ? "No QuickBooks company is connected yet: connect the OAuth grant"
                  : `${fields.find((f) => f.field === plan.missing)?.variable ?? plan.missing} has no value in this environment`
                : "This kind of config has no health check",
          },
          latencyMs: null,
          httpStatus: null,
        };
  const failed = sent.reading.status === "unhealthy";
  const next = afterAttempt(circuit, !failed, now, rules.threshold);
  // Checked every few minutes whatever the sync interval (at most every 15): health is what the dashboard shows.
  const minutes = Math.min(15, Math.max(1, Math.floor(prepared.interval / 4)));
  await withContext(ctx, (tx) =>
    recordHealth(tx, {
      organizationId: ctx.organizationId,
      configId: id,
      status: sent.reading.status,
      message: sent.reading.message,
      latencyMs: sent.latencyMs,
      httpStatus: sent.httpStatus,
      circuit: next,
      nextCheckAt: new Date(now.getTime() + minutes * 60_000),
      checked: true,
    }),
  );
  return { checked: true, ...sent.reading, latencyMs: sent.latencyMs, circuit: next.state };
}
