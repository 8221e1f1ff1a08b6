import postgres from "postgres";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "./support";

let org: TestOrg;
let variableId: string;

beforeAll(async () => {
  org = await makeOrg();
  variableId = (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name: "LIVE_TOKEN",
        variableType: "secret",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    )
  ).id;
});

describe("change notifications", () => {
  it("announce a value change to listeners once per statement, naming the organization and never the value", async () => {
    const listener = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    const events: Record<string, unknown>[] = [];
    const raw: string[] = [];
    await listener.listen("ringbearer_changes", (payload) => {
      raw.push(payload);
      events.push(JSON.parse(payload));
    });
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId,
        environmentId: org.env.staging,
        value: "live-secret-42",
        expectedVersion: 0,
      }),
    );
    await expect
      .poll(() => events.filter((e) => e.org === org.id).length, { timeout: 2000 })
      .toBeGreaterThanOrEqual(2);
    const mine = events.filter((e) => e.org === org.id);
    expect(mine.find((e) => e.kind === "values")).toMatchObject({
      count: 1,
      environments: [org.env.staging],
    });
    expect(mine.find((e) => e.kind === "audit")).toMatchObject({ count: 1, emergency: false });
    expect(raw.join("")).not.toContain("live-secret-42");
    await listener.end();
  });
});
