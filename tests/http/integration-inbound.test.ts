/**
 * Inbound provider webhooks over HTTP (issue 15): a Stripe event signed with the webhook config's signing secret
 * (kept in the vault) is accepted; a forged one is 400 and recorded, never processed; a replay is recorded as a
 * duplicate and changes nothing more; a deauthorization revokes the OAuth connection and marks its config
 * UNHEALTHY. The signatures here are made with node:crypto by the test itself, as Stripe documents them.
 */
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { integrationConfigs, integrationOauthConnections, integrationWebhookEvents } from "@/db/schema";
import { integrationCreation } from "@/lib/validation/integrations";
import { createIntegration } from "@/server/integrations/integrations";
import { makeOrg, type TestOrg } from "../db/support";
import { HttpSession } from "./session";

const SECRET = "whsec_test_inbound_0123456789abcdef";

/** Stripe's scheme: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body"> under the endpoint secret. */
const stripeSignature = (body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;

describe("inbound Stripe webhooks", () => {
  let org: TestOrg;
  let webhookId: string;
  let oauthId: string;
  let connectionId: string;

  const post = (id: string, body: string, signature?: string) =>
    HttpSession.anonymous().request(`/api/v1/integrations/${id}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature ? { "stripe-signature": signature } : {}),
      },
      body,
    });
  const log = () =>
    withContext(org.owner, (tx) =>
      tx.select().from(integrationWebhookEvents).where(eq(integrationWebhookEvents.configId, webhookId)),
    );

  beforeAll(async () => {
    org = await makeOrg();
    const create = async (raw: Record<string, unknown>) =>
      withContext(org.owner, async (tx) =>
        createIntegration(tx, org.owner, await integrationCreation.parseAsync(raw)),
      );
    webhookId = (
      await create({
        platform: "stripe",
        configType: "webhook",
        environment: "staging",
        name: "Stripe events",
        isActive: "on",
        "secrets.signingSecret": SECRET,
      })
    ).id;
    oauthId = (
      await create({
        platform: "stripe",
        configType: "oauth",
        environment: "staging",
        name: "Connect",
        isActive: "on",
      })
    ).id;
    const [connection] = await withContext(org.owner, (tx) =>
      tx
        .insert(integrationOauthConnections)
        .values({
          organizationId: org.id,
          configId: oauthId,
          stripeAccountId: "acct_fake123",
          createdBy: org.owner.userId,
        })
        .returning(),
    );
    connectionId = connection.id;
  }, 60_000);

  it("refuses a forged event with 400, records it, and processes nothing", async () => {
    const body = JSON.stringify({
      id: "evt_forged",
      type: "account.application.deauthorized",
      account: "acct_fake123",
    });
    const forged = await post(webhookId, body, stripeSignature(body, "whsec_not_the_secret"));
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body)).toMatchObject({
      code: "signature_invalid",
      errors: { signature: ["The signature does not match"] },
    });
    const unsigned = await post(webhookId, body);
    expect(unsigned.status).toBe(400);
    const stale = await post(
      webhookId,
      body,
      stripeSignature(body, SECRET, Math.floor(Date.now() / 1000) - 3600),
    );
    expect(JSON.parse(stale.body).errors.signature[0]).toMatch(/outside the tolerance/);
    expect((await log()).map((e) => [e.outcome, e.signatureValid])).toEqual([
      ["refused", false],
      ["refused", false],
      ["refused", false],
    ]);
    const [connection] = await withContext(org.owner, (tx) =>
      tx.select().from(integrationOauthConnections).where(eq(integrationOauthConnections.id, connectionId)),
    );
    expect(connection.isActive).toBe(true);
  });

  it("accepts a signed event, records one that matters nothing as ignored", async () => {
    const body = JSON.stringify({ id: "evt_invoice_1", type: "invoice.paid" });
    const answer = await post(webhookId, body, stripeSignature(body));
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ received: 1, duplicates: 0 });
  });

  it("acts on a deauthorization once: the connection is revoked and the integration UNHEALTHY; a replay is a duplicate", async () => {
    const body = JSON.stringify({
      id: "evt_deauth_1",
      type: "account.application.deauthorized",
      account: "acct_fake123",
    });
    const first = await post(webhookId, body, stripeSignature(body));
    expect(JSON.parse(first.body)).toEqual({ received: 1, duplicates: 0 });
    const replay = await post(webhookId, body, stripeSignature(body));
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({ received: 1, duplicates: 1 });
    const [connection] = await withContext(org.owner, (tx) =>
      tx.select().from(integrationOauthConnections).where(eq(integrationOauthConnections.id, connectionId)),
    );
    expect(connection).toMatchObject({ isActive: false });
    expect(connection.revokedReason).toMatch(/Deauthorized at the provider/);
    const [config] = await withContext(org.owner, (tx) =>
      tx.select().from(integrationConfigs).where(eq(integrationConfigs.id, oauthId)),
    );
    expect(config.healthStatus).toBe("unhealthy");
    const outcomes = (await log()).map((e) => `${e.outcome}:${e.providerEventId ?? "-"}`).sort();
    expect(outcomes).toEqual(
      [
        "duplicate:-",
        "ignored:evt_invoice_1",
        "processed:evt_deauth_1",
        "refused:-",
        "refused:-",
        "refused:-",
      ].sort(),
    );
  });

  it("answers 404 for an unknown id, a config that is not a webhook config, and malformed ids", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", oauthId, "not-an-id"]) {
      const answer = await post(id, "{}", stripeSignature("{}"));
      expect(answer.status, id).toBe(404);
    }
  });
});
