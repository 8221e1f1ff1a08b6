import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { matrixPage } from "@/db/repos/matrix";
import { listVariables } from "@/db/repos/variables";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "./support";

let org: TestOrg;

beforeAll(async () => {
  org = await makeOrg();
  const make = (name: string, variableType: "api_key" | "feature_flag", tags: string[]) =>
    withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name,
        variableType,
        securityClassification: variableType === "api_key" ? "confidential" : "internal",
        isRequired: true,
        isWeddingCritical: false,
        tags,
      }),
    );
  const stripe = await make("STRIPE_SECRET_KEY", "api_key", ["payments"]);
  await make("RESEND_API_KEY", "api_key", ["email"]);
  await make("FEATURE_100_PERCENT", "feature_flag", []);
  await withContext(org.owner, (tx) =>
    setValue(tx, org.owner, {
      variableId: stripe.id,
      environmentId: org.env.staging,
      value: "sk_test_x",
      expectedVersion: 0,
    }),
  );
});

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe("the variables list", () => {
  it("shows in which environments each variable has a value", async () => {
    const rows = await listVariables(org.owner, {});
    const stripe = rows.find((r) => r.name === "STRIPE_SECRET_KEY");
    expect(stripe?.setIn).toEqual([org.env.staging]);
    expect(rows.find((r) => r.name === "RESEND_API_KEY")?.setIn).toEqual([]);
  });

  it("filters by name, type, classification and tag", async () => {
    expect(names(await listVariables(org.owner, { q: "api" }))).toEqual(["RESEND_API_KEY"]);
    expect(names(await listVariables(org.owner, { type: "feature_flag" }))).toEqual(["FEATURE_100_PERCENT"]);
    expect(names(await listVariables(org.owner, { classification: "confidential" }))).toEqual([
      "RESEND_API_KEY",
      "STRIPE_SECRET_KEY",
    ]);
    expect(names(await listVariables(org.owner, { tag: "payments" }))).toEqual(["STRIPE_SECRET_KEY"]);
  });

  it("treats % and _ in a search as plain characters", async () => {
    expect(names(await listVariables(org.owner, { q: "%" }))).toEqual([]);
    expect(names(await listVariables(org.owner, { q: "100_" }))).toEqual(["FEATURE_100_PERCENT"]);
  });

  it("searches the matrix the same way: any case, % and _ as plain characters, nothing else matching", async () => {
    const matrix = async (q: string) =>
      (await matrixPage(org.owner, { offset: 0, limit: 100, q })).rows.map((r) => r.name);
    expect(await matrix("api")).toEqual(["RESEND_API_KEY"]);
    expect(await matrix("Secret_K")).toEqual(["STRIPE_SECRET_KEY"]);
    expect(await matrix("%")).toEqual([]);
    expect(await matrix("100_")).toEqual(["FEATURE_100_PERCENT"]);
    expect(await matrix("ß")).toEqual([]);
    expect((await matrixPage(org.owner, { offset: 0, limit: 100, q: "_" })).total).toBe(3);
  });
});
