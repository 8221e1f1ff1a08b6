/**
 * A destination's connection test against local fakes of PostHog and GA4 (tests/db/fake-analytics.ts): the key
 * is read from the vault and sent to the provider only; connected, failed with the provider's reason, failed
 * when the key has no value or the provider is down; never the key in the stored error or the audit.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { destinations, environmentVariableAudit } from "@/db/schema";
import { destinationCreation, destinationUpdate } from "@/lib/validation/destinations";
import { testDestinationConnection } from "@/server/destinations/connection-test";
import { createDestination, updateDestination } from "@/server/destinations/destinations";
import { startFakeAnalytics } from "./fake-analytics";
import { makeOrg, type TestOrg } from "./support";

const GOOD_KEY = "phc_fake_good_key_0123456789";
const GOOD_SECRET = "ga4-secret-good";
let fake: Awaited<ReturnType<typeof startFakeAnalytics>>;
let org: TestOrg;

beforeAll(async () => {
  fake = await startFakeAnalytics({ posthogKey: GOOD_KEY, ga4Secret: GOOD_SECRET });
  org = await makeOrg();
});
afterAll(() => fake.close());

const stored = (id: string) =>
  withContext(
    org.owner,
    async (tx) => (await tx.select().from(destinations).where(eq(destinations.id, id)))[0],
  );

async function posthog(key?: string) {
  const input = await destinationCreation.parseAsync({
    type: "posthog",
    environment: "development",
    name: "PostHog (fake)",
    "settings.host": fake.url,
    requiredConsent: ["measurement"],
    enabled: "on",
    ...(key ? { "secrets.apiKey": key } : {}),
  });
  return withContext(org.owner, (tx) => createDestination(tx, org.owner, input));
}

describe("testing a destination's connection", () => {
  let id: string;

  it("fails, saying which variable has no value, before any request", async () => {
    id = (await posthog()).id;
    const before = fake.requests.length;
    expect(await testDestinationConnection(org.owner, id)).toEqual({
      status: "failed",
      error: "POSTHOG_API_KEY has no value in this environment",
    });
    expect(fake.requests.length).toBe(before);
  });

  it("is connected with the right key, which reached the provider and nowhere else", async () => {
    const edit = await destinationUpdate.parseAsync({
      id,
      version: 1,
      name: "PostHog (fake)",
      "settings.host": fake.url,
      requiredConsent: ["measurement"],
      enabled: "on",
      "secrets.apiKey": GOOD_KEY,
    });
    await withContext(org.owner, (tx) => updateDestination(tx, org.owner, edit));
    expect(await testDestinationConnection(org.owner, id)).toEqual({ status: "connected", error: null });
    expect(fake.requests.at(-1)?.body).toContain(GOOD_KEY);
    const row = await stored(id);
    expect(row).toMatchObject({ connectionStatus: "connected", lastError: null });
    expect(row.lastTestedAt).not.toBeNull();
  });

  it("fails with the provider's refusal for a wrong key, and when the provider is down", async () => {
    const edit = await destinationUpdate.parseAsync({
      id,
      version: 1,
      name: "PostHog (fake)",
      "settings.host": fake.url,
      requiredConsent: ["measurement"],
      enabled: "on",
      "secrets.apiKey": "phc_wrong_key",
    });
    await withContext(org.owner, (tx) => updateDestination(tx, org.owner, edit));
    expect(await testDestinationConnection(org.owner, id)).toEqual({
      status: "failed",
      error: "The provider refused the key (HTTP 401)",
    });
    fake.state.failWith = 503;
    try {
      expect(await testDestinationConnection(org.owner, id)).toEqual({
        status: "failed",
        error: "The provider failed (HTTP 503)",
      });
    } finally {
      fake.state.failWith = 0;
    }
    const audits = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableAudit)
        .where(and(eq(environmentVariableAudit.resourceId, id), eq(environmentVariableAudit.action, "sync")))
        .orderBy(environmentVariableAudit.seq),
    );
    expect(audits.map((a) => (a.changeDetails as { connection_test: string }).connection_test)).toEqual([
      "failed",
      "connected",
      "failed",
      "failed",
    ]);
    expect(JSON.stringify(audits)).not.toContain("phc_");
  });

  it("checks a GA4 secret with the validation endpoint", async () => {
    const bases = { ga4: fake.url, metaGraph: fake.url, amplitude: fake.url, amplitudeEu: fake.url };
    const create = async (secret: string, environment: string) =>
      withContext(org.owner, async (tx) =>
        createDestination(
          tx,
          org.owner,
          await destinationCreation.parseAsync({
            type: "google-analytics",
            environment,
            name: "GA4",
            "settings.measurementId": "G-TEST1234",
            "secrets.apiSecret": secret,
            "variables.apiSecret": `GA4_SECRET_${environment.toUpperCase()}`,
          }),
        ),
      );
    const good = await create(GOOD_SECRET, "development");
    expect(await testDestinationConnection(org.owner, good.id, { bases })).toEqual({
      status: "connected",
      error: null,
    });
    const bad = await create("nope", "staging");
    expect(await testDestinationConnection(org.owner, bad.id, { bases })).toEqual({
      status: "failed",
      error: "GA4 refused the test event: Unable to find api_secret.",
    });
  });

  it("is refused to a developer, and to another organization", async () => {
    const developer = await org.member("developer");
    await expect(testDestinationConnection(developer, id)).rejects.toMatchObject({ code: "forbidden" });
    const other = await makeOrg();
    await expect(testDestinationConnection(other.owner, id)).rejects.toMatchObject({ code: "not_found" });
  });
});
