import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { configurationDrift } from "@/db/schema";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { resolveDrift } from "@/server/drift/drift-resolution";
import { makeOrg, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment, variableWithValue } from "./target-fixture";

const SECRET = "a-shared-secret-for-the-dismissal-receiver-0123";
let org: TestOrg;
let deployment: Awaited<ReturnType<typeof loopbackDeployment>>;
let targetId: string;

const open = () =>
  withContext(org.owner, (tx) =>
    tx
      .select({
        id: configurationDrift.id,
        type: configurationDrift.driftType,
        name: configurationDrift.variableName,
      })
      .from(configurationDrift)
      .where(and(eq(configurationDrift.targetId, targetId), isNull(configurationDrift.resolvedAt)))
      .orderBy(configurationDrift.variableName),
  );
const dismiss = async (name: string) => {
  const drift = (await open()).find((d) => d.name === name);
  if (!drift) throw new Error(`no open drift for ${name}`);
  expect(await resolveDrift(org.owner, { id: drift.id, action: "dismiss", note: "Known, leave it" })).toEqual(
    {
      status: "resolved",
      resolution: "dismissed",
    },
  );
};
const scan = async () => expect((await scanTarget(org.owner, targetId)).ok).toBe(true);

beforeAll(async () => {
  org = await makeOrg();
  deployment = await loopbackDeployment(SECRET);
  await variableWithValue(org, org.env.staging, "CDN_URL", "https://cdn.example.com");
  targetId = await addHttpTarget(org, {
    environmentId: org.env.staging,
    name: "web-dismissal",
    location: deployment.url,
    secret: SECRET,
  });
  expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed", set: 1 });
});

afterAll(() => deployment?.close());

describe("a dismissed drift", () => {
  it("stays dismissed at the next scans while the deployed state is the same", async () => {
    await deployment.deployed.apply({
      set: { CDN_URL: "https://cdn.other.example", SENTRY_DSN: "https://k@sentry.example/1" },
      delete: [],
    });
    await scan();
    expect((await open()).map((d) => [d.type, d.name])).toEqual([
      ["value_mismatch", "CDN_URL"],
      ["unexpected_variable", "SENTRY_DSN"],
    ]);
    await dismiss("CDN_URL");
    await dismiss("SENTRY_DSN");
    await scan();
    await scan();
    expect(await open()).toEqual([]);
  });

  it("is reported again when the deployed value changes again", async () => {
    await deployment.deployed.apply({ set: { CDN_URL: "https://cdn.third.example" }, delete: [] });
    await scan();
    expect((await open()).map((d) => [d.type, d.name])).toEqual([["value_mismatch", "CDN_URL"]]);
  });

  it("ends when the drift goes away: the same difference coming back later is new", async () => {
    await dismiss("CDN_URL");
    await scan();
    expect(await open()).toEqual([]);
    await deployment.deployed.apply({ set: { CDN_URL: "https://cdn.example.com" }, delete: [] });
    await scan(); // in step: the dismissal of the third value ends
    await deployment.deployed.apply({ set: { CDN_URL: "https://cdn.third.example" }, delete: [] });
    await scan();
    expect((await open()).map((d) => [d.type, d.name])).toEqual([["value_mismatch", "CDN_URL"]]);
  });
});
