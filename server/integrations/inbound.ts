import { getDb } from "@/db/client";
import { withContext } from "@/db/context";
import { jobContext } from "@/db/job-contexts";
import {
  connectedConfigs,
  inboundTarget,
  recordInbound,
  revokeConnection,
  setHealth,
} from "@/db/repos/integration-events";
import { integrationById } from "@/db/repos/integrations";
import { environmentValueRows } from "@/db/repos/values";
import { AppError } from "@/lib/errors";
import {
  DEAUTHORIZING,
  type InboundEvent,
  inboundEvents,
  SIGNING_FIELD,
  type Verdict,
  verifyHubspot,
  verifyQuickbooks,
  verifyStripe,
} from "@/lib/integrations/inbound";
import type { Platform } from "@/lib/integrations/platforms";
import { vaultFieldsOf } from "@/lib/validation/integrations";
import { writeAudit } from "@/server/audit/audit";
import { isLimited, recordFailure } from "@/server/auth/rate-limits";
import { bindFields } from "@/server/connectors/vault-fields";
import { decryptedEntries } from "@/server/values/export";

export type InboundRequest = {
  method: string;
  /** The URL as the provider called it (HubSpot signs it). */
  uri: string;
  header: (name: string) => string | null;
  body: string;
  now?: Date;
};
export type InboundAnswer = { received: number; duplicates: number };

/** Refused requests per config in 15 minutes before the endpoint stops recording them (429). */
const refusals = (configId: string) => ({ key: `inbound:${configId}`, max: 60, windowMinutes: 15 });

function verify(platform: Platform, request: InboundRequest, secret: string, now: Date): Verdict {
  if (platform === "stripe")
    return verifyStripe(request.header("stripe-signature"), request.body, secret, now);
  if (platform === "hubspot")
    return verifyHubspot(
      {
        signature: request.header("x-hubspot-signature-v3"),
        timestamp: request.header("x-hubspot-request-timestamp"),
      },
      request,
      secret,
      now,
    );
  return verifyQuickbooks(request.header("intuit-signature"), request.body, secret);
}

/**
 * One request to a webhook config's inbound endpoint. The config names its organization (a definer function:
 * live, active webhook configs only; anything else is 404), whose job context then reads the signing secret
 * from the vault in the config's environment. A bad signature is answered 400 and recorded, never processed
 * (after 60 refusals in 15 minutes the endpoint answers 429 and records no more); a verified event is recorded
 * once by its id (a replay is answered 200 and recorded as a duplicate); a deauthorization revokes the
 * platform's OAuth connections in that environment (the account it names, when it names one) and marks their
 * configs UNHEALTHY, audited. Other events are recorded and ignored.
 */
export async function receiveInbound(configId: string, request: InboundRequest): Promise<InboundAnswer> {
  const now = request.now ?? new Date();
  const target = /^[0-9a-f-]{36}$/i.test(configId) ? await inboundTarget(getDb(), configId) : undefined;
  if (!target) throw new AppError("not_found");
  const ctx = await jobContext(getDb(), target.organization_id);
  if (!ctx) throw new AppError("not_found");
  if (await isLimited(getDb(), refusals(configId))) throw new AppError("rate_limited");
  const platform = target.platform as Platform;
  const job = { ...ctx, userAgent: `ringbearer inbound webhook: ${platform}` };
  const answer = await withContext(job, async (tx) => {
    const row = await integrationById(tx, job.organizationId, configId);
    if (!row) throw new AppError("not_found");
    const field = bindFields(vaultFieldsOf(platform, "webhook"), row.secretVariables).find(
      (f) => f.field === SIGNING_FIELD[platform],
    );
    const rows = field ? await environmentValueRows(tx, row.environmentId, [field.variable]) : [];
    const [secret] = await decryptedEntries(tx, job.organizationId, row.environmentId, rows);
    const base = { organizationId: job.organizationId, configId };
    const verdict: Verdict = secret
      ? verify(platform, request, secret.value, now)
      : { ok: false, reason: `${field?.variable ?? "The signing secret"} has no value in this environment` };
    if (!verdict.ok) {
      await recordInbound(tx, { ...base, signatureValid: false, outcome: "refused", detail: verdict.reason });
      return { refused: new AppError("signature_invalid", { signature: [verdict.reason] }) };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      await recordInbound(tx, {
        ...base,
        signatureValid: true,
        outcome: "refused",
        detail: "The body is not JSON",
      });
      return { refused: new AppError("validation", { form: ["The body is not JSON"] }) };
    }
    let duplicates = 0;
    const events = inboundEvents(platform, parsed);
    for (const event of events) {
      const acts = event.type !== null && DEAUTHORIZING.has(event.type);
      const fresh = await recordInbound(tx, {
        ...base,
        providerEventId: event.id,
        eventType: event.type,
        signatureValid: true,
        outcome: acts ? "processed" : "ignored",
      });
      if (!fresh) {
        duplicates++;
        await recordInbound(tx, {
          ...base,
          eventType: event.type,
          signatureValid: true,
          outcome: "duplicate",
          detail: `A replay of ${event.id}`.slice(0, 300),
        });
      } else if (acts) await deauthorize(tx, job, platform, row.environmentId, event);
    }
    return { received: events.length, duplicates };
  });
  // The refusal is recorded (its transaction committed) before it is answered.
  if ("refused" in answer) {
    await recordFailure(getDb(), refusals(configId));
    throw answer.refused;
  }
  return answer;
}

/** The provider withdrew the console's grant: its connections in the environment are revoked, their configs UNHEALTHY. */
async function deauthorize(
  tx: Parameters<Parameters<typeof withContext>[1]>[0],
  ctx: Parameters<typeof writeAudit>[1],
  platform: Platform,
  environmentId: string,
  event: InboundEvent,
) {
  const connected = await connectedConfigs(tx, ctx.organizationId, platform, environmentId);
  const named = connected.filter(
    (c) => !event.account || c.stripeAccountId === event.account || c.hubspotPortalId === event.account,
  );
  for (const c of named) {
    const reason = `Deauthorized at the provider (${event.type} ${event.id ?? ""})`.trim();
    await revokeConnection(tx, c.connectionId, null, reason);
    await setHealth(tx, c.configId, "unhealthy", reason);
    await writeAudit(tx, ctx, {
      action: "update",
      resourceType: "integration",
      resourceId: c.configId,
      environmentId,
      riskLevel: "HIGH",
      details: {
        integration: c.name,
        platform,
        oauth: "revoked by the provider",
        event: event.id,
        type: event.type,
      },
    });
  }
}
