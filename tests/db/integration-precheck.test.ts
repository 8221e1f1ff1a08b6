/**
 * The pre-check before wedding hours (issue 15): from 48 hours before a window opens, the active integrations of
 * protected environments that are not healthy, or whose OAuth grant lapses inside the window, are listed; a
 * healthy one and one of an unprotected environment are not; with no window near, there is no pre-check.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { setHealth } from "@/db/repos/integration-events";
import { integrationPrecheck } from "@/db/repos/integration-precheck";
import { integrationOauthConnections, protectionBlackouts } from "@/db/schema";
import { integrationCreation } from "@/lib/validation/integrations";
import { createIntegration } from "@/server/integrations/integrations";
import { makeOrg, type TestOrg } from "./support";

let org: TestOrg;
const ids = {} as Record<"sick" | "fine" | "lapsing" | "staging", string>;

const add = async (raw: Record<string, unknown>) =>
  (
    await withContext(org.owner, async (tx) =>
      createIntegration(tx, org.owner, await integrationCreation.parseAsync({ isActive: "on", ...raw })),
    )
  ).id;
const precheck = (now = new Date()) => withContext(org.owner, (tx) => integrationPrecheck(tx, org.id, now));

beforeAll(async () => {
  org = await makeOrg();
  ids.sick = await add({
    platform: "stripe",
    configType: "api_key",
    environment: "production",
    name: "Payments",
  });
  ids.fine = await add({
    platform: "hubspot",
    configType: "api_key",
    environment: "production",
    name: "CRM",
  });
  ids.lapsing = await add({
    platform: "quickbooks",
    configType: "oauth",
    environment: "production",
    name: "Books",
  });
  ids.staging = await add({
    platform: "stripe",
    configType: "api_key",
    environment: "staging",
    name: "Test payments",
  });
  await withContext(org.owner, async (tx) => {
    await setHealth(tx, ids.sick, "unhealthy", "The provider refused the credential (HTTP 401)");
    await setHealth(tx, ids.fine, "healthy", "Answered in 80 ms");
    await setHealth(tx, ids.lapsing, "healthy", "Answered in 90 ms");
    await setHealth(tx, ids.staging, "unhealthy", "The provider failed (HTTP 500)");
    await tx.insert(integrationOauthConnections).values({
      organizationId: org.id,
      configId: ids.lapsing,
      quickbooksRealmId: "123",
      accessExpiresAt: sql`now() + interval '1 hour'`,
      metadata: { refreshable: true },
      createdBy: org.owner.userId,
    });
  });
});

describe("the pre-check before wedding hours", () => {
  it("is not shown with no window in the next 48 hours", async () => {
    expect(await precheck()).toBeNull();
  });

  it("lists the unhealthy and the lapsing integrations of protected environments once a window is near", async () => {
    await withContext(org.owner, (tx) =>
      tx.insert(protectionBlackouts).values({
        organizationId: org.id,
        startsAt: sql`now() + interval '3 hours'`,
        endsAt: sql`now() + interval '9 hours'`,
        reason: "Saturday wedding",
      }),
    );
    const check = await precheck();
    expect(check?.items.map((i) => i.name)).toEqual(["Books", "Payments"]);
    expect(check?.items.find((i) => i.name === "Payments")).toMatchObject({
      healthStatus: "unhealthy",
      environment: "production",
    });
    expect(check?.items.find((i) => i.name === "Books")?.expiresAt).not.toBeNull();
    expect((check?.endsAt.getTime() ?? 0) - (check?.startsAt.getTime() ?? 0)).toBeGreaterThan(5 * 3_600_000);
  });

  it("is not shown to another organization", async () => {
    const other = await makeOrg();
    const seen = await withContext(other.owner, (tx) => integrationPrecheck(tx, org.id, new Date()));
    expect(seen?.items ?? []).toEqual([]);
  });
});
