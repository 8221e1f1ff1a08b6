import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { parity } from "@/db/repos/compare";
import { matrixPage } from "@/db/repos/matrix";
import { environmentVariableValues, variableValidations } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { approveChangeRequest } from "@/server/approvals/change-requests";
import { compareEnvironments } from "@/server/values/compare";
import { applyImport } from "@/server/values/dotenv-import";
import { promoteValues } from "@/server/values/promote";
import { restoreVersion } from "@/server/values/values";
import { updateVariable } from "@/server/variables/variables";
import { approveAs, startWeddingHours, type TestOrg } from "./support";
import { isCode, valueFixture } from "./value-fixture";

let org: TestOrg;
let ids: Record<string, string>;
let variable: Fixture["variable"];
let set: Fixture["set"];
let reveal: Fixture["reveal"];

type Fixture = Awaited<ReturnType<typeof valueFixture>>;

beforeAll(async () => {
  ({ org, ids, variable, set, reveal } = await valueFixture());
});

describe("validation on write", () => {
  it("refuses a value that fails its type or pattern, with the field and nothing written", async () => {
    await expect(set("FEATURE_CHECKOUT", "development", "maybe")).rejects.toSatisfy(
      (e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.value?.length),
    );
    await expect(set("SESSION_SECRET", "development", "SHORT")).rejects.toSatisfy(isCode("validation"));
    const rows = await withContext(org.owner, (tx) =>
      tx
        .select()
        .from(environmentVariableValues)
        .where(eq(environmentVariableValues.environmentId, org.env.development)),
    );
    expect(rows).toHaveLength(0);
  });

  it("stores the checks' results, with a warning for a test key in production", async () => {
    await set("STRIPE_SECRET_KEY", "production", "sk_test_51Hstagingkey0000");
    const checks = await withContext(org.owner, (tx) =>
      tx
        .select({ status: variableValidations.validationStatus, message: variableValidations.errorMessage })
        .from(variableValidations)
        .where(
          and(
            eq(variableValidations.variableId, ids.STRIPE_SECRET_KEY),
            eq(variableValidations.environmentId, org.env.production),
          ),
        ),
    );
    expect(checks.some((c) => c.status === "warning")).toBe(true);
    expect(JSON.stringify(checks)).not.toContain("sk_test_51Hstagingkey0000");
    const [value] = await withContext(org.owner, (tx) =>
      tx
        .select({ status: environmentVariableValues.validationStatus })
        .from(environmentVariableValues)
        .where(
          and(
            eq(environmentVariableValues.variableId, ids.STRIPE_SECRET_KEY),
            eq(environmentVariableValues.environmentId, org.env.production),
          ),
        ),
    );
    expect(value.status).toBe("warning");
  });
});

describe("compare, parity and the matrix", () => {
  it("compares by hash and summarises what each environment lacks", async () => {
    const { rows, counts } = await compareEnvironments(org.owner, org.env.staging, org.env.development);
    expect(counts).toMatchObject({ added: 3, changed: 0, same: 0 });
    expect(rows.map((r) => r.name)).toEqual(["FEATURE_CHECKOUT", "SESSION_SECRET", "STRIPE_SECRET_KEY"]);
    const lines = await parity(org.owner);
    const staging = lines.find((l) => l.name === "staging");
    expect(staging?.summary).toBe("staging has every key that development has");
    const production = lines.find((l) => l.name === "production");
    expect(production?.summary).toBe(
      "production lacks 2 keys that staging has: FEATURE_CHECKOUT, SESSION_SECRET",
    );
  });

  it("shows cell states and filters the keys missing in production", async () => {
    const page = await matrixPage(org.owner, {
      offset: 0,
      limit: 50,
      status: { kind: "missing", environment: "production" },
    });
    expect(page.total).toBe(2);
    expect(page.environments.map((e) => e.name)).toEqual(["development", "staging", "production"]);
    const all = await matrixPage(org.owner, { offset: 0, limit: 50 });
    const stripe = all.rows.find((r) => r.name === "STRIPE_SECRET_KEY");
    expect(stripe?.cells.map((c) => c?.state)).toEqual(["missing", "set", "same"]);
    const byName = await matrixPage(org.owner, { offset: 0, limit: 50, q: "secret" });
    expect(byName.rows.map((r) => r.name)).toEqual(["SESSION_SECRET", "STRIPE_SECRET_KEY"]);
  });

  it("hides the columns a viewer may not read", async () => {
    const viewer = await org.member("viewer");
    const page = await matrixPage(viewer, { offset: 0, limit: 50 });
    expect(page.environments.map((e) => e.readable)).toEqual([true, true, false]);
    expect(page.rows[0].cells[2]).toBeNull();
  });
});

describe("promotion", () => {
  it("promotes nothing when one selected value fails the target's checks", async () => {
    await variable("WEBHOOK_URL", "secret");
    await set("WEBHOOK_URL", "staging", "http://hooks.example.com/a");
    // The pattern is tightened after staging was set: staging's value no longer passes any new write.
    await withContext(org.owner, (tx) =>
      updateVariable(tx, org.owner, ids.WEBHOOK_URL, 1, {
        name: "WEBHOOK_URL",
        variableType: "secret",
        securityClassification: "confidential",
        isRequired: false,
        isWeddingCritical: false,
        validationPattern: "^https://",
        tags: [],
      }),
    );
    await set("FEATURE_CHECKOUT", "production", "false");
    await expect(
      withContext(org.owner, (tx) =>
        promoteValues(tx, org.owner, {
          fromEnvironmentId: org.env.staging,
          toEnvironmentId: org.env.production,
          items: [
            { variableId: ids.FEATURE_CHECKOUT, expectedVersion: 1 },
            { variableId: ids.WEBHOOK_URL, expectedVersion: 0 },
          ],
        }),
      ),
    ).rejects.toSatisfy((e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.WEBHOOK_URL));
    expect(await reveal("FEATURE_CHECKOUT", "production")).toBe("false");
    await expect(reveal("WEBHOOK_URL", "production")).rejects.toSatisfy(isCode("not_found"));
  });

  it("is all or nothing on versions, and applies when they match", async () => {
    await set("SESSION_SECRET", "production", "productionsecret");
    const promote = (featureVersion: number) =>
      withContext(org.owner, (tx) =>
        promoteValues(tx, org.owner, {
          fromEnvironmentId: org.env.staging,
          toEnvironmentId: org.env.production,
          items: [
            { variableId: ids.FEATURE_CHECKOUT, expectedVersion: featureVersion },
            { variableId: ids.SESSION_SECRET, expectedVersion: 1 },
          ],
          note: "release 42",
        }),
      );
    await expect(promote(0)).rejects.toSatisfy(
      (e) =>
        isCode("conflict:version")(e) &&
        JSON.stringify((e as AppError).meta?.conflicts).includes("FEATURE_CHECKOUT"),
    );
    expect(await reveal("SESSION_SECRET", "production")).toBe("productionsecret");
    // Confidential values into production are HIGH: the whole promotion waits as one request.
    const waiting = await promote(1);
    expect(waiting).toMatchObject({ status: "requested", from: "staging", to: "production" });
    expect(await reveal("SESSION_SECRET", "production")).toBe("productionsecret");
    if (waiting.status !== "requested") throw new Error("expected a change request");
    expect(waiting.request).toMatchObject({ riskLevel: "HIGH", items: 2 });
    await approveAs(org, { status: "requested", requestId: waiting.request.id, riskLevel: "HIGH" });
    expect(await reveal("FEATURE_CHECKOUT", "production")).toBe("true");
    expect(await reveal("SESSION_SECRET", "production")).toBe("stagingsecret");
  });

  it("sends a developer's promotion into production for approval, which they cannot approve", async () => {
    const dev = await org.member("developer");
    const promote = (note?: string) =>
      withContext(dev, (tx) =>
        promoteValues(tx, dev, {
          fromEnvironmentId: org.env.staging,
          toEnvironmentId: org.env.production,
          items: [{ variableId: ids.STRIPE_SECRET_KEY, expectedVersion: 1 }],
          note,
        }),
      );
    await expect(promote()).rejects.toSatisfy(
      (e) => isCode("validation")(e) && Boolean((e as AppError).fieldErrors?.note),
    );
    const waiting = await promote("Staging key verified against Stripe");
    if (waiting.status !== "requested") throw new Error("expected a change request");
    await expect(
      withContext(dev, (tx) => approveChangeRequest(tx, dev, { id: waiting.request.id })),
    ).rejects.toSatisfy(isCode("forbidden"));
  });
});

describe("during wedding hours", () => {
  it("refuses promotion, import and restore into production, and changes nothing", async () => {
    await startWeddingHours(org);
    const locked = isCode("locked:wedding_hours");
    await expect(
      withContext(org.owner, (tx) =>
        promoteValues(tx, org.owner, {
          fromEnvironmentId: org.env.staging,
          toEnvironmentId: org.env.production,
          items: [{ variableId: ids.WEBHOOK_URL, expectedVersion: 0 }],
        }),
      ),
    ).rejects.toSatisfy(locked);
    await expect(
      withContext(org.owner, (tx) =>
        applyImport(tx, org.owner, {
          environmentId: org.env.production,
          text: "FEATURE_CHECKOUT=false\n",
          expected: { FEATURE_CHECKOUT: 2 },
        }),
      ),
    ).rejects.toSatisfy(locked);
    await expect(
      withContext(org.owner, (tx) =>
        restoreVersion(tx, org.owner, {
          variableId: ids.SESSION_SECRET,
          environmentId: org.env.production,
          version: 1,
          expectedVersion: 2,
        }),
      ),
    ).rejects.toSatisfy(locked);
    expect(await reveal("FEATURE_CHECKOUT", "production")).toBe("true");
  });
});
