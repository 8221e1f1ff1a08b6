/**
 * OAuth connections (issue 15) against a local fake provider shaped like Stripe Connect (tests/db/fake-oauth.ts):
 * connect (authorization code with PKCE and state) → the tokens are values, the grant is recorded → refresh when
 * it is about to run out (a health check does it) → a refused refresh ends the grant → disconnect. A state is
 * one person's, used once; a code bound to another verifier is refused; nothing secret reaches the audit.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TenantContext, withContext } from "@/db/context";
import { environmentVariableAudit, integrationOauthConnections } from "@/db/schema";
import { integrationCreation } from "@/lib/validation/integrations";
import { checkIntegration } from "@/server/integrations/health";
import { createIntegration } from "@/server/integrations/integrations";
import { completeOauth, disconnectOauth, startOauth } from "@/server/integrations/oauth";
import { startFakeOauth } from "./fake-oauth";
import { makeOrg, type TestOrg } from "./support";

const APP = { clientId: "ca_fake_client", clientSecret: "sk_fake_platform_secret" };
let fake: Awaited<ReturnType<typeof startFakeOauth>>;
let org: TestOrg;
let id: string;
let saved: string | undefined;

beforeAll(async () => {
  fake = await startFakeOauth(APP);
  saved = process.env.RINGBEARER_STRIPE_OAUTH_URL;
  process.env.RINGBEARER_STRIPE_OAUTH_URL = fake.url;
  org = await makeOrg();
  id = (
    await withContext(org.owner, async (tx) =>
      createIntegration(
        tx,
        org.owner,
        await integrationCreation.parseAsync({
          platform: "stripe",
          configType: "oauth",
          environment: "staging",
          name: "Stripe Connect",
          isActive: "on",
          "settings.clientId": APP.clientId,
          "secrets.clientSecret": APP.clientSecret,
        }),
      ),
    )
  ).id;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.RINGBEARER_STRIPE_OAUTH_URL;
  else process.env.RINGBEARER_STRIPE_OAUTH_URL = saved;
  await fake.close();
});

const start = (ctx: TenantContext) =>
  withContext(ctx, (tx) => startOauth(tx, ctx, { id, origin: "https://console.example" }));
const grants = () =>
  withContext(org.owner, (tx) =>
    tx.select().from(integrationOauthConnections).where(eq(integrationOauthConnections.configId, id)),
  );
const health = { bases: { stripe: "", hubspot: "", quickbooks: "" } };

describe("connecting an OAuth integration", () => {
  it("sends the person to the provider with PKCE (S256), a state naming the organization, and the callback", async () => {
    const { url } = await start(org.owner);
    const authorize = new URL(url);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: APP.clientId,
      redirect_uri: "https://console.example/api/v1/integrations/oauth/callback",
      code_challenge_method: "S256",
    });
    expect(authorize.searchParams.get("state")).toMatch(new RegExp(`^${org.slug}~.{20,}$`));
  });

  it("connects: the tokens become values, the grant names the account; the state cannot be used twice", async () => {
    health.bases.stripe = fake.url;
    const callback = await fake.approve((await start(org.owner)).url);
    expect(await completeOauth(org.owner, callback)).toEqual({ configId: id });
    const [grant] = await grants();
    expect(grant).toMatchObject({
      isActive: true,
      stripeAccountId: "acct_fake_connected",
      stripeLivemode: false,
    });
    expect(grant.accessExpiresAt).not.toBeNull();
    // The health check reads the access token from the vault: the fake knows it.
    expect(await checkIntegration(org.owner, id, health)).toMatchObject({ status: "healthy" });
    await expect(completeOauth(org.owner, callback)).rejects.toMatchObject({ code: "validation" });
    const audit = await withContext(org.owner, (tx) =>
      tx.select().from(environmentVariableAudit).where(eq(environmentVariableAudit.organizationId, org.id)),
    );
    expect(JSON.stringify(audit)).not.toMatch(/at-\d|rt-\d|sk_fake_platform_secret/);
  });

  it("refuses another person's state, and a code bound to another verifier", async () => {
    const admin = await org.member("admin");
    const callback = await fake.approve((await start(org.owner)).url);
    await expect(completeOauth(admin, callback)).rejects.toMatchObject({ code: "validation" });
    const mine = await fake.approve((await start(org.owner)).url);
    const other = await fake.approve((await start(org.owner)).url);
    const mixed = new URLSearchParams({ code: other.get("code") ?? "", state: mine.get("state") ?? "" });
    await expect(completeOauth(org.owner, mixed)).rejects.toMatchObject({
      fieldErrors: { form: [expect.stringMatching(/^The provider refused: invalid_grant/)] },
    });
  });

  it("renews a grant about to run out before its health check, and ends it when the refresh is refused", async () => {
    const soon = () =>
      withContext(org.owner, (tx) =>
        tx
          .update(integrationOauthConnections)
          .set({ accessExpiresAt: sql`now() + interval '5 minutes'` })
          .where(eq(integrationOauthConnections.isActive, true)),
      );
    await soon();
    const before = fake.seen.filter((s) => s.grant === "refresh_token").length;
    expect(await checkIntegration(org.owner, id, health)).toMatchObject({ status: "healthy" });
    expect(fake.seen.filter((s) => s.grant === "refresh_token").length).toBe(before + 1);
    const [renewed] = (await grants()).filter((g) => g.isActive);
    expect(renewed.refreshedAt).not.toBeNull();
    expect(renewed.accessExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);

    fake.revokeAll();
    await soon();
    expect(await checkIntegration(org.owner, id, health)).toMatchObject({
      status: "unhealthy",
      message: "The provider refused the credential (HTTP 401)",
    });
    const ended = (await grants()).find((g) => g.id === renewed.id);
    expect(ended).toMatchObject({ isActive: false });
    expect(ended?.revokedReason).toMatch(/invalid_grant/);
  });

  it("disconnects: withdrawn at the provider and ended here", async () => {
    const callback = await fake.approve((await start(org.owner)).url);
    await completeOauth(org.owner, callback);
    expect(await disconnectOauth(org.owner, id)).toEqual({ revokedAtProvider: true });
    expect((await grants()).every((g) => !g.isActive)).toBe(true);
    expect(fake.seen.at(-1)?.path).toBe("/oauth/deauthorize");
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => startOauth(tx, viewer, { id, origin: "https://x" })),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
