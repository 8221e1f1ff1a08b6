import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { applyImport, previewImport } from "@/db/mutations/dotenv-import";
import { exportEnvironment } from "@/db/mutations/export";
import { promoteValues } from "@/db/mutations/promote";
import { restoreVersion, revealValue, setValue } from "@/db/mutations/values";
import { createVariable, updateVariable } from "@/db/mutations/variables";
import { compareEnvironments, parity } from "@/db/queries/compare";
import { matrixPage } from "@/db/queries/matrix";
import { environmentVariableAudit, environmentVariableValues, variableValidations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { makeOrg, startWeddingHours, type TestOrg } from "./support";

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

let org: TestOrg;
const ids: Record<string, string> = {};

async function variable(
  name: string,
  variableType: "api_key" | "feature_flag" | "secret" | "database_url",
  extra: { validationPattern?: string; isRequired?: boolean } = {},
) {
  const row = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType,
      securityClassification: "confidential",
      isRequired: extra.isRequired ?? false,
      isWeddingCritical: false,
      validationPattern: extra.validationPattern,
      tags: [],
    }),
  );
  ids[name] = row.id;
  return row.id;
}

const set = (name: string, env: keyof TestOrg["env"], value: string, expectedVersion = 0) =>
  withContext(org.owner, (tx) =>
    setValue(tx, org.owner, { variableId: ids[name], environmentId: org.env[env], value, expectedVersion }),
  );
const reveal = (name: string, env: keyof TestOrg["env"]) =>
  withContext(org.owner, (tx) =>
    revealValue(tx, org.owner, { variableId: ids[name], environmentId: org.env[env] }),
  ).then((r) => r.value);

beforeAll(async () => {
  org = await makeOrg();
  await variable("STRIPE_SECRET_KEY", "api_key", { isRequired: true });
  await variable("FEATURE_CHECKOUT", "feature_flag");
  await variable("SESSION_SECRET", "secret", { validationPattern: "^[a-z]{8,}$" });
  await set("STRIPE_SECRET_KEY", "staging", "sk_test_51Hstagingkey0000");
  await set("FEATURE_CHECKOUT", "staging", "true");
  await set("SESSION_SECRET", "staging", "stagingsecret");
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
    await expect(promote(1)).resolves.toMatchObject({ promoted: 2, from: "staging", to: "production" });
    expect(await reveal("FEATURE_CHECKOUT", "production")).toBe("true");
    expect(await reveal("SESSION_SECRET", "production")).toBe("stagingsecret");
  });

  it("refuses a developer's promotion into production", async () => {
    const dev = await org.member("developer");
    await expect(
      withContext(dev, (tx) =>
        promoteValues(tx, dev, {
          fromEnvironmentId: org.env.staging,
          toEnvironmentId: org.env.production,
          items: [{ variableId: ids.STRIPE_SECRET_KEY, expectedVersion: 1 }],
        }),
      ),
    ).rejects.toSatisfy(isCode("forbidden"));
  });
});

describe(".env import and export", () => {
  beforeAll(async () => {
    await set("STRIPE_SECRET_KEY", "development", "sk_test_51Hstagingkey0000");
    await set("FEATURE_CHECKOUT", "development", "true");
  });

  const text = [
    "# payments",
    "export STRIPE_SECRET_KEY=sk_test_51Himportedkey000",
    'PRIVATE_KEY="-----BEGIN KEY-----\\nline two\\n-----END KEY-----"',
    "GREETING='héllo = world # not a comment'",
    "FEATURE_CHECKOUT=true",
    "",
  ].join("\n");

  it("previews new, changed, unchanged and invalid lines without writing or returning values", async () => {
    const preview = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, `${text}bad line\nFEATURE_CHECKOUT=perhaps\n`),
    );
    expect(preview.counts.invalid).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(preview)).not.toContain("sk_test_51Himportedkey000");
    const clean = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, text),
    );
    expect(clean.lines.map((l) => [l.key, l.status])).toEqual([
      ["STRIPE_SECRET_KEY", "changed"],
      ["PRIVATE_KEY", "new"],
      ["GREETING", "new"],
      ["FEATURE_CHECKOUT", "unchanged"],
    ]);
  });

  it("refuses the whole file when a line is invalid", async () => {
    await expect(
      withContext(org.owner, (tx) =>
        applyImport(tx, org.owner, {
          environmentId: org.env.development,
          text: `${text}FEATURE_CHECKOUT=perhaps\n`,
          expected: {},
        }),
      ),
    ).rejects.toSatisfy(isCode("validation"));
    expect(await reveal("STRIPE_SECRET_KEY", "development")).toBe("sk_test_51Hstagingkey0000");
  });

  it("applies in one transaction, creates missing variables, and round-trips through export", async () => {
    const preview = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, text),
    );
    const result = await withContext(org.owner, (tx) =>
      applyImport(tx, org.owner, { environmentId: org.env.development, text, expected: preview.expected }),
    );
    expect(result).toEqual({ created: 2, written: 3, unchanged: 1 });
    const exported = await withContext(org.owner, (tx) =>
      exportEnvironment(tx, org.owner, org.env.development, "env"),
    );
    expect(exported.body).toContain("-----BEGIN KEY-----");
    // Re-importing the export into development changes nothing: every hash is identical.
    const again = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, exported.body),
    );
    expect(again.counts).toMatchObject({ new: 0, changed: 0, invalid: 0 });
    expect(again.counts.unchanged).toBe(exported.count);
    const json = await withContext(org.owner, (tx) =>
      exportEnvironment(tx, org.owner, org.env.development, "json"),
    );
    expect(JSON.parse(json.body).PRIVATE_KEY).toBe("-----BEGIN KEY-----\nline two\n-----END KEY-----");
    const audits = await withContext(org.owner, (tx) =>
      tx
        .select({ action: environmentVariableAudit.action, details: environmentVariableAudit.changeDetails })
        .from(environmentVariableAudit)
        .where(eq(environmentVariableAudit.environmentId, org.env.development)),
    );
    expect(audits.filter((a) => a.action === "export")).toHaveLength(2);
    expect(audits.filter((a) => a.action === "import")).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain("line two");
  });

  it("refuses an apply when a value moved since the preview", async () => {
    const next = "FEATURE_CHECKOUT=false\n";
    const preview = await withContext(org.owner, (tx) =>
      previewImport(tx, org.owner, org.env.development, next),
    );
    await set("FEATURE_CHECKOUT", "development", "true", preview.expected.FEATURE_CHECKOUT);
    await expect(
      withContext(org.owner, (tx) =>
        applyImport(tx, org.owner, {
          environmentId: org.env.development,
          text: next,
          expected: preview.expected,
        }),
      ),
    ).rejects.toSatisfy(isCode("conflict:version"));
  });

  it("refuses a viewer's export of production", async () => {
    const viewer = await org.member("viewer");
    await expect(
      withContext(viewer, (tx) => exportEnvironment(tx, viewer, org.env.production, "env")),
    ).rejects.toSatisfy(isCode("forbidden"));
  });
});

describe("history", () => {
  it("restores an earlier version as a new version", async () => {
    const v = await set("SESSION_SECRET", "staging", "rotatedsecret", 1);
    expect(v.version).toBe(2);
    const restored = await withContext(org.owner, (tx) =>
      restoreVersion(tx, org.owner, {
        variableId: ids.SESSION_SECRET,
        environmentId: org.env.staging,
        version: 1,
        expectedVersion: 2,
      }),
    );
    expect(restored.version).toBe(3);
    expect(await reveal("SESSION_SECRET", "staging")).toBe("stagingsecret");
    await expect(
      withContext(org.owner, (tx) =>
        restoreVersion(tx, org.owner, {
          variableId: ids.SESSION_SECRET,
          environmentId: org.env.staging,
          version: 2,
          expectedVersion: 2,
        }),
      ),
    ).rejects.toSatisfy(isCode("conflict:version"));
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
