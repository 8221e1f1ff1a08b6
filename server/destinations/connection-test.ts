import { type TenantContext, withContext } from "@/db/context";
import { destinationById, markConnection } from "@/db/repos/destinations";
import { environmentValueRows } from "@/db/repos/values";
import {
  connectionProbe,
  DEFAULT_BASES,
  judgeAnswer,
  type Probe,
  type ProviderBases,
} from "@/lib/destinations/connection";
import type { DestinationType } from "@/lib/destinations/types";
import { AppError } from "@/lib/errors";
import { guardedFetch, type Transport } from "@/lib/net/guarded-fetch";
import { writeAudit } from "@/server/audit/audit";
import { requireCapability } from "@/server/authz";
import { outboundAllowlist } from "@/server/outbound";
import { decryptedEntries } from "@/server/values/export";
import { boundFields } from "./destination-secrets";

/** How long a provider has to answer a connection test. */
export const CONNECTION_TIMEOUT_MS = 10_000;

/** The providers' base addresses: the real ones, or the operator's (RINGBEARER_GA4_URL and friends; tests' fakes). */
export function providerBases(env: NodeJS.ProcessEnv = process.env): ProviderBases {
  return {
    ga4: env.RINGBEARER_GA4_URL || DEFAULT_BASES.ga4,
    metaGraph: env.RINGBEARER_META_GRAPH_URL || DEFAULT_BASES.metaGraph,
    amplitude: env.RINGBEARER_AMPLITUDE_URL || DEFAULT_BASES.amplitude,
    amplitudeEu: env.RINGBEARER_AMPLITUDE_EU_URL || DEFAULT_BASES.amplitudeEu,
  };
}

export type ConnectionOutcome = { status: "connected" | "failed"; error: string | null };

/** Sends the probe under the outbound policy (no redirects, public addresses unless opened); reads its answer. */
async function send(type: DestinationType, transport: Transport, probe: Probe): Promise<ConnectionOutcome> {
  try {
    const response = await transport(probe.url, {
      method: probe.method,
      headers: { ...probe.headers, "user-agent": "Ringbearer-Destinations/1" },
      body: probe.body,
      signal: AbortSignal.timeout(CONNECTION_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = await response.text().catch(() => "");
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {}
    const judged = judgeAnswer(type, response.status, body);
    return judged.connected
      ? { status: "connected", error: null }
      : { status: "failed", error: judged.error };
  } catch (error) {
    const timedOut =
      (error as { name?: string }).name === "TimeoutError" || String(error).includes("timeout");
    return {
      status: "failed",
      error: timedOut
        ? `No answer within ${CONNECTION_TIMEOUT_MS / 1000} seconds`
        : "Could not connect to the provider",
    };
  }
}

/**
 * Tests a destination's connection (integrations:manage): its keys are read from the vault in its environment
 * and used for one request to the provider, never shown or stored elsewhere; the status is `testing` while it
 * runs, then `connected` or `failed` with the error and the time, audited (status and error only). A key with no
 * value is a failure that says which. Three short transactions: no connection is held while the provider answers.
 */
export async function testDestinationConnection(
  ctx: TenantContext,
  id: string,
  options: { transport?: Transport; bases?: ProviderBases } = {},
): Promise<ConnectionOutcome> {
  const prepared = await withContext(ctx, async (tx) => {
    requireCapability(ctx, "integrations:manage");
    const row = await destinationById(tx, ctx.organizationId, id);
    if (!row || row.deletedAt) throw new AppError("not_found");
    const type = row.type as DestinationType;
    const fields = boundFields(type, row.secretVariables);
    const rows = await environmentValueRows(
      tx,
      row.environmentId,
      fields.map((f) => f.variable),
    );
    const entries = await decryptedEntries(tx, ctx.organizationId, row.environmentId, rows);
    const keys = Object.fromEntries(
      fields.map((f) => [f.field, entries.find((e) => e.key === f.variable)?.value]),
    );
    const plan = connectionProbe(type, row.settings, keys, options.bases ?? providerBases());
    if ("probe" in plan) await markConnection(tx, id, { status: "testing", error: null });
    return { row, type, fields, plan };
  });
  const { row, type, fields, plan } = prepared;
  const outcome: ConnectionOutcome =
    "local" in plan
      ? { status: "connected", error: null }
      : "missing" in plan
        ? {
            status: "failed",
            error: `${fields.find((f) => f.field === plan.missing)?.variable} has no value in this environment`,
          }
        : await send(type, options.transport ?? guardedFetch(outboundAllowlist()), plan.probe);
  await withContext(ctx, async (tx) => {
    await markConnection(tx, id, outcome);
    await writeAudit(tx, ctx, {
      action: "sync",
      resourceType: "destination",
      resourceId: id,
      environmentId: row.environmentId,
      details: { destination: row.name, type, connection_test: outcome.status, error: outcome.error },
    });
  });
  return outcome;
}
