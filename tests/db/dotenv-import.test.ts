import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit } from "@/db/schema";
import { applyImport, previewImport } from "@/server/values/dotenv-import";
import { exportEnvironment } from "@/server/values/export";
import { restoreVersion } from "@/server/values/values";
import { applied, type TestOrg } from "./support";
import { isCode, valueFixture } from "./value-fixture";

let org: TestOrg;
let ids: Record<string, string>;
let set: Fixture["set"];
let reveal: Fixture["reveal"];

type Fixture = Awaited<ReturnType<typeof valueFixture>>;

beforeAll(async () => {
  ({ org, ids, set, reveal } = await valueFixture());
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

  it("warns in the preview where an unquoted # cuts a value short, never showing the value", async () => {
    const preview = await withContext(org.owner, (tx) =>
      previewImport(
        tx,
        org.owner,
        org.env.development,
        'WEBHOOK_SECRET=whsec_abc#def\nQUOTED_SECRET="whsec_abc#def"\nNOTED=plain # a comment\n',
      ),
    );
    expect(preview.lines.map((l) => [l.line, l.key, l.status, l.warning ?? null])).toEqual([
      [1, "WEBHOOK_SECRET", "new", expect.stringMatching(/"#".*comment.*Quote the value/)],
      [2, "QUOTED_SECRET", "new", null],
      [3, "NOTED", "new", null],
    ]);
    expect(preview.counts.warnings).toBe(1);
    expect(JSON.stringify(preview)).not.toContain("whsec_abc");
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
    expect(result).toEqual({ created: 2, written: 3, unchanged: 1, request: null });
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
    expect(applied(v).version).toBe(2);
    const restored = await withContext(org.owner, (tx) =>
      restoreVersion(tx, org.owner, {
        variableId: ids.SESSION_SECRET,
        environmentId: org.env.staging,
        version: 1,
        expectedVersion: 2,
      }),
    );
    expect(applied(restored).version).toBe(3);
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
