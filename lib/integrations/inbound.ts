import { createHmac, timingSafeEqual } from "node:crypto";
import type { Platform } from "./platforms";

/**
 * Inbound provider webhooks (seed 002 INBOUND `webhook_configurations`): each provider's signature scheme, checked
 * with the signing secret from the vault over the body exactly as sent. Pure (node:crypto only).
 * - Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (several v1 allowed, during a
 *   secret's rotation), within a tolerance of the timestamp (5 minutes, Stripe's default).
 * - HubSpot v3: `X-HubSpot-Signature-v3: <base64 HMAC-SHA256 of method + URI + body + timestamp>` under the app's
 *   client secret, with `X-HubSpot-Request-Timestamp` (milliseconds) no older than 5 minutes.
 * - QuickBooks: `intuit-signature: <base64 HMAC-SHA256 of the body>` under the verifier token (no timestamp: a
 *   replay is caught by the event id).
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type Verdict = { ok: true } | { ok: false; reason: string };

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const hmac = (secret: string, data: string) => createHmac("sha256", secret).update(data, "utf8");

export function verifyStripe(header: string | null, body: string, secret: string, now: Date): Verdict {
  if (!header) return { ok: false, reason: "No Stripe-Signature header" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0)
    return { ok: false, reason: "Stripe-Signature has no timestamp or v1 signature" };
  const expected = hmac(secret, `${t}.${body}`).digest("hex");
  if (!signatures.some((s) => same(s, expected)))
    return { ok: false, reason: "The signature does not match" };
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_SECONDS)
    return { ok: false, reason: "The signature's timestamp is outside the tolerance" };
  return { ok: true };
}

export function verifyHubspot(
  headers: { signature: string | null; timestamp: string | null },
  request: { method: string; uri: string; body: string },
  secret: string,
  now: Date,
): Verdict {
  if (!headers.signature || !headers.timestamp)
    return { ok: false, reason: "No X-HubSpot-Signature-v3 or timestamp" };
  if (!/^\d{1,15}$/.test(headers.timestamp)) return { ok: false, reason: "The timestamp is not a number" };
  if (now.getTime() - Number(headers.timestamp) > SIGNATURE_TOLERANCE_SECONDS * 1000)
    return { ok: false, reason: "The signature's timestamp is outside the tolerance" };
  const expected = hmac(secret, `${request.method}${request.uri}${request.body}${headers.timestamp}`).digest(
    "base64",
  );
  return same(headers.signature, expected)
    ? { ok: true }
    : { ok: false, reason: "The signature does not match" };
}

export function verifyQuickbooks(signature: string | null, body: string, verifier: string): Verdict {
  if (!signature) return { ok: false, reason: "No intuit-signature header" };
  return same(signature, hmac(verifier, body).digest("base64"))
    ? { ok: true }
    : { ok: false, reason: "The signature does not match" };
}

/** The vault field that signs a platform's inbound webhooks (in its `webhook` config). */
export const SIGNING_FIELD: Record<Platform, string> = {
  stripe: "signingSecret",
  hubspot: "clientSecret",
  quickbooks: "verifierToken",
};

export type InboundEvent = { id: string | null; type: string | null; account: string | null };

/** The events of a verified body: Stripe's one event, HubSpot's array, QuickBooks' event notifications. */
export function inboundEvents(platform: Platform, body: unknown): InboundEvent[] {
  const text = (v: unknown) =>
    typeof v === "string" || typeof v === "number" ? String(v).slice(0, 255) : null;
  if (platform === "stripe") {
    const e = body as { id?: unknown; type?: unknown; account?: unknown };
    return [{ id: text(e?.id), type: text(e?.type), account: text(e?.account) }];
  }
  if (platform === "hubspot")
    return (Array.isArray(body) ? body : [])
      .slice(0, 100)
      .map((e: { eventId?: unknown; subscriptionType?: unknown; portalId?: unknown }) => ({
        id: text(e?.eventId),
        type: text(e?.subscriptionType),
        account: text(e?.portalId),
      }));
  const notifications = (body as { eventNotifications?: { realmId?: unknown; dataChangeEvent?: unknown }[] })
    ?.eventNotifications;
  return (Array.isArray(notifications) ? notifications : []).slice(0, 100).map((n) => ({
    id: null,
    type: "dataChangeEvent",
    account: text(n?.realmId),
  }));
}

/** Events that concern the credentials the console keeps: the grant was withdrawn at the provider. */
export const DEAUTHORIZING = new Set(["account.application.deauthorized", "app.uninstalled"]);
