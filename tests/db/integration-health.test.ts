/**
 * Integration health (issue 15) against a local fake of Stripe and HubSpot (tests/db/fake-platforms.ts): HEALTHY →
 * DEGRADED (slow) → UNHEALTHY (401, then 500) → HEALTHY, with the circuit breaker opening (no request while open),
 * letting one trial through after its reset and closing on success; the history records each check; turning
 * UNHEALTHY and recovering are webhook events; the credential never leaves for anywhere but the provider.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentHealth } from "@/db/repos/health";
import { integrationsDueForCheck } from "@/db/repos/integration-health";
import {
  integrationConfigs,
  integrationHealthChecks,
  integrationOauthConnections,
  webhookEvents,
} from "@/db/schema";
import { integrationCreation, integrationUpdate } from "@/lib/validation/integrations";
import { checkIntegration, type HealthOptions } from "@/server/integrations/health";
import {
  enqueueDueHealthChecks,
  type HealthJob,
  integrationHealthJob,
} from "@/server/integrations/health-jobs";
import { createIntegration, updateIntegration } from "@/server/integrations/integrations";
import { createEndpoint } from "@/server/webhooks/endpoints";
import { startFakePlatforms } from "./fake-platforms";
import { makeOrg, type TestOrg } from "./support";

const KEY = "sk_test_fake_good";
let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
let org: TestOrg;
let id: string;
let options: HealthOptions;

beforeAll(async () => {
  fake = await startFakePlatforms([KEY, "pat-na1-good"]);
  org = await makeOrg();
  options = {
    bases: { stripe: fake.url, hubspot: fake.url, quickbooks: fake.url },
    rules: { slowMs: 150, threshold: 2, resetSeconds: 60 },
  };
  // An endpoint listening for integration events, so the database writes them.
  await withContext(org.owner, (tx) =>
    createEndpoint(tx, org.owner, {
      url: "https://hooks.example.com/ringbearer",
      events: ["integration.unhealthy", "integration.recovered"],
      environments: [],
    }),
  );
  const made = await withContext(org.owner, async (tx) =>
    createIntegration(
      tx,
      org.owner,
      await integrationCreation.parseAsync({
        platform: "stripe",
        configType: "api_key",
        environment: "staging",
        name: "Payments",
        isActive: "on",
        "secrets.secretKey": KEY,
      }),
    ),
  );
  id = made.id;
});
afterAll(() => fake.close());

const at = (seconds: number) => ({ ...options, now: new Date(Date.now() + seconds * 1000) });
const history = () =>
  withContext(org.owner, (tx) =>
    tx
      .select()
      .from(integrationHealthChecks)
      .where(eq(integrationHealthChecks.configId, id))
      .orderBy(integrationHealthChecks.checkedAt),
  );

describe("an integration's health", () => {
  it("is due at once, and HEALTHY when the provider answers in time", async () => {
    expect(
      await withContext(org.owner, (tx) => integrationsDueForCheck(tx, org.id, ["api_key", "oauth"])),
    ).toContain(id);
    expect(await checkIntegration(org.owner, id, at(0))).toMatchObject({
      checked: true,
      status: "healthy",
      circuit: "closed",
    });
  });

  it("is DEGRADED when slow, without counting as a failure", async () => {
    fake.state.delayMs = 300;
    try {
      const slow = await checkIntegration(org.owner, id, at(1));
      expect(slow).toMatchObject({ status: "degraded", circuit: "closed" });
      expect((slow as { message: string }).message).toMatch(/^Slow: answered in \d+ ms$/);
    } finally {
      fake.state.delayMs = 0;
    }
  });

  it("is UNHEALTHY on a 401 and a 500; the breaker opens at the threshold and holds checks back", async () => {
    const edit = await integrationUpdate.parseAsync({
      id,
      version: 1,
      name: "Payments",
      isActive: "on",
      "secrets.secretKey": "sk_test_revoked",
    });
    await withContext(org.owner, (tx) => updateIntegration(tx, org.owner, edit));
    expect(await checkIntegration(org.owner, id, at(2))).toMatchObject({
      status: "unhealthy",
      message: "The provider refused the credential (HTTP 401)",
      circuit: "closed",
    });
    fake.state.failWith = 500;
    expect(await checkIntegration(org.owner, id, at(3))).toMatchObject({
      status: "unhealthy",
      message: "The provider failed (HTTP 500)",
      circuit: "open",
    });
    // An unhealthy integration counts in its environment's health, for every member.
    const viewer = await org.member("viewer");
    const staging = (await environmentHealth(viewer)).find((e) => e.name === "staging");
    expect(staging?.health).toMatchObject({ status: "critical", unhealthy_integrations: 1 });
    expect(staging?.health.reasons).toContain("1 unhealthy integration(s)");
    const before = fake.state.hits;
    expect(await checkIntegration(org.owner, id, at(10))).toMatchObject({ checked: false, circuit: "open" });
    expect(fake.state.hits).toBe(before);
  });

  it("lets one trial through after the reset, and closes on success: HEALTHY again", async () => {
    // Still failing at the trial: open again.
    expect(await checkIntegration(org.owner, id, at(70))).toMatchObject({
      status: "unhealthy",
      circuit: "open",
    });
    fake.state.failWith = 0;
    const edit = await integrationUpdate.parseAsync({
      id,
      version: 2,
      name: "Payments",
      isActive: "on",
      "secrets.secretKey": KEY,
    });
    await withContext(org.owner, (tx) => updateIntegration(tx, org.owner, edit));
    expect(await checkIntegration(org.owner, id, at(140))).toMatchObject({
      status: "healthy",
      circuit: "closed",
    });
    const [row] = await withContext(org.owner, (tx) =>
      tx.select().from(integrationConfigs).where(eq(integrationConfigs.id, id)),
    );
    expect(row).toMatchObject({ healthStatus: "healthy", circuitState: "closed", consecutiveFailures: 0 });
    expect((await history()).map((h) => h.status)).toEqual([
      "healthy",
      "degraded",
      "unhealthy",
      "unhealthy",
      "unhealthy",
      "healthy",
    ]);
  });

  it("sent webhook events when it turned UNHEALTHY and when it recovered, never the key", async () => {
    const events = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(webhookEvents)
        .where(eq(webhookEvents.organizationId, org.id))
        .orderBy(webhookEvents.createdAt),
    );
    expect(events.map((e) => e.eventType)).toEqual(["integration.unhealthy", "integration.recovered"]);
    expect(events[0].data).toMatchObject({ platform: "stripe", environment: "staging", status: "unhealthy" });
    expect(JSON.stringify(events)).not.toContain("sk_test");
    expect(JSON.stringify(await history())).not.toContain("sk_test");
  });

  it("says which variable has no value, and is refused to another organization", async () => {
    const hubspot = await withContext(org.owner, async (tx) =>
      createIntegration(
        tx,
        org.owner,
        await integrationCreation.parseAsync({
          platform: "hubspot",
          configType: "api_key",
          environment: "development",
          name: "CRM",
          isActive: "on",
        }),
      ),
    );
    expect(await checkIntegration(org.owner, hubspot.id, options)).toMatchObject({
      status: "unhealthy",
      message: "HUBSPOT_ACCESS_TOKEN has no value in this environment",
    });
    const other = await makeOrg();
    await expect(checkIntegration(other.owner, id, options)).rejects.toMatchObject({ code: "not_found" });
  });

  it("is queued by the minute's runner when due, and the job checks it with the configured provider address", async () => {
    await withContext(org.owner, (tx) =>
      tx
        .update(integrationConfigs)
        .set({ nextHealthCheck: new Date(Date.now() - 1000) })
        .where(eq(integrationConfigs.id, id)),
    );
    const sent: HealthJob[] = [];
    const boss = {
      send: async (_queue: string, data: object) => {
        sent.push(data as HealthJob);
        return "job";
      },
    };
    await enqueueDueHealthChecks(boss as never);
    const mine = sent.filter((j) => j.configId === id);
    expect(mine).toEqual([{ organizationId: org.id, configId: id }]);
    const saved = process.env.RINGBEARER_STRIPE_API_URL;
    process.env.RINGBEARER_STRIPE_API_URL = fake.url;
    try {
      expect(await integrationHealthJob(mine[0])).toMatchObject({ checked: true, status: "healthy" });
    } finally {
      if (saved === undefined) delete process.env.RINGBEARER_STRIPE_API_URL;
      else process.env.RINGBEARER_STRIPE_API_URL = saved;
    }
    // Checked: not due again until its next check.
    const again: HealthJob[] = [];
    await enqueueDueHealthChecks({
      send: async (_q: string, d: object) => {
        again.push(d as HealthJob);
        return "job";
      },
    } as never);
    expect(again.filter((j) => j.configId === id)).toEqual([]);
  });

  it("reads HubSpot's account details and QuickBooks' company info (its realm from the grant) the same way", async () => {
    const create = async (raw: Record<string, unknown>) =>
      withContext(org.owner, async (tx) =>
        createIntegration(tx, org.owner, await integrationCreation.parseAsync({ isActive: "on", ...raw })),
      );
    const hubspot = await create({
      platform: "hubspot",
      configType: "api_key",
      environment: "production",
      name: "CRM (production)",
      "secrets.accessToken": "pat-na1-good",
      reason: "Connecting the CRM in production",
    });
    const quickbooks = await create({
      platform: "quickbooks",
      configType: "oauth",
      environment: "staging",
      name: "Books",
      "secrets.accessToken": KEY,
    });
    // The HubSpot token is confidential in production: it waits for a reviewer, and is not there yet.
    expect(await checkIntegration(org.owner, hubspot.id, options)).toMatchObject({
      status: "unhealthy",
      message: "HUBSPOT_ACCESS_TOKEN has no value in this environment",
    });
    expect(await checkIntegration(org.owner, quickbooks.id, options)).toMatchObject({
      status: "unhealthy",
      message: "No QuickBooks company is connected yet: connect the OAuth grant",
    });
    await withContext(org.owner, (tx) =>
      tx.insert(integrationOauthConnections).values({
        organizationId: org.id,
        configId: quickbooks.id,
        quickbooksRealmId: "9130",
        createdBy: org.owner.userId,
      }),
    );
    expect(await checkIntegration(org.owner, quickbooks.id, at(600))).toMatchObject({ status: "healthy" });
    const staging = await create({
      platform: "hubspot",
      configType: "api_key",
      environment: "staging",
      name: "CRM (staging)",
      "secrets.accessToken": "pat-na1-good",
    });
    expect(await checkIntegration(org.owner, staging.id, options)).toMatchObject({ status: "healthy" });
  });
});
