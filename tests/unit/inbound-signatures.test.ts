import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inboundEvents, verifyHubspot, verifyQuickbooks, verifyStripe } from "@/lib/integrations/inbound";

/** Signatures made here with node:crypto, as each provider documents its scheme. */
const now = new Date("2026-12-04T12:00:00Z");
const seconds = Math.floor(now.getTime() / 1000);

describe("inbound webhook signatures (lib/integrations/inbound)", () => {
  it("Stripe: the right v1 among several passes; a wrong secret, a tampered body or an old timestamp does not", () => {
    const body = '{"id":"evt_1"}';
    const sig = (t: number, secret = "whsec_a") =>
      createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(
      verifyStripe(`t=${seconds},v1=${sig(seconds, "whsec_old")},v1=${sig(seconds)}`, body, "whsec_a", now),
    ).toEqual({ ok: true });
    expect(verifyStripe(`t=${seconds},v1=${sig(seconds)}`, `${body} `, "whsec_a", now).ok).toBe(false);
    expect(verifyStripe(`t=${seconds},v1=${sig(seconds)}`, body, "whsec_b", now).ok).toBe(false);
    expect(verifyStripe(`t=${seconds - 301},v1=${sig(seconds - 301)}`, body, "whsec_a", now)).toEqual({
      ok: false,
      reason: "The signature's timestamp is outside the tolerance",
    });
    expect(verifyStripe("v1=abc", body, "whsec_a", now).ok).toBe(false);
    expect(verifyStripe(null, body, "whsec_a", now).ok).toBe(false);
  });

  it("HubSpot v3: method, URI, body and timestamp under the client secret; an old timestamp fails", () => {
    const request = {
      method: "POST",
      uri: "https://console.example/api/v1/integrations/x/webhook",
      body: "[]",
    };
    const ts = String(now.getTime() - 1000);
    const signature = createHmac("sha256", "secret").update(`POST${request.uri}[]${ts}`).digest("base64");
    expect(verifyHubspot({ signature, timestamp: ts }, request, "secret", now)).toEqual({ ok: true });
    expect(
      verifyHubspot({ signature, timestamp: ts }, { ...request, uri: `${request.uri}?x=1` }, "secret", now)
        .ok,
    ).toBe(false);
    const old = String(now.getTime() - 301_000);
    const oldSig = createHmac("sha256", "secret").update(`POST${request.uri}[]${old}`).digest("base64");
    expect(verifyHubspot({ signature: oldSig, timestamp: old }, request, "secret", now).ok).toBe(false);
  });

  it("QuickBooks: the body under the verifier token", () => {
    const body = '{"eventNotifications":[{"realmId":"123"}]}';
    const signature = createHmac("sha256", "verifier").update(body).digest("base64");
    expect(verifyQuickbooks(signature, body, "verifier")).toEqual({ ok: true });
    expect(verifyQuickbooks(signature, body, "other").ok).toBe(false);
    expect(inboundEvents("quickbooks", JSON.parse(body))).toEqual([
      { id: null, type: "dataChangeEvent", account: "123" },
    ]);
  });

  it("reads events defensively: at most 100, text fields cut to 255, nothing thrown on odd shapes", () => {
    expect(inboundEvents("stripe", null)).toEqual([{ id: null, type: null, account: null }]);
    expect(inboundEvents("hubspot", { not: "an array" })).toEqual([]);
    expect(
      inboundEvents(
        "hubspot",
        Array.from({ length: 150 }, (_, i) => ({ eventId: i })),
      ),
    ).toHaveLength(100);
    expect(inboundEvents("stripe", { id: "x".repeat(400) })[0].id).toHaveLength(255);
  });
});
