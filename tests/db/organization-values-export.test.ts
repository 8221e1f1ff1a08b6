/**
 * The organization's values export (issue 17): owners and admins, after a recent sign-in, download every value
 * they may read, in every environment, sealed with a passphrase; the file holds no value in the clear, the CLI
 * opens it with the passphrase (and with nothing else), and each value's export is in the audit trail. Another
 * organization's values are never in it; nobody else may export.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { environmentVariableAudit } from "@/db/schema";
import { exportOrganizationValues } from "@/server/organizations/values-export";
import { withSession } from "./session-fixture";
import { isCode, valueFixture } from "./value-fixture";

type Fixture = Awaited<ReturnType<typeof valueFixture>>;
let f: Fixture;
let other: Fixture;
let dir: string;
const PASSPHRASE = "correct horse battery staple export";
const SECRET = "sk_test_51Hsealedexportvalue9";

/** `ringbearer open-export FILE`, the passphrase in its environment (or none). */
function openExport(file: string, passphrase?: string) {
  const run = spawnSync(process.execPath, ["cli/ringbearer.mjs", "open-export", file], {
    encoding: "utf8",
    timeout: 60_000,
    input: "",
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      ...(passphrase === undefined ? {} : { RINGBEARER_EXPORT_PASSPHRASE: passphrase }),
    },
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(async () => {
  f = await valueFixture();
  other = await valueFixture();
  await f.set("STRIPE_SECRET_KEY", "development", SECRET);
  await other.set("STRIPE_SECRET_KEY", "development", "sk_test_51Hnotthisorganization");
  dir = await mkdtemp(path.join(os.tmpdir(), "rb-values-export-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the organization's values export", () => {
  it("is for owners and admins after a recent sign-in", async () => {
    const developer = await withSession(await f.org.member("developer"));
    await expect(
      withContext(developer, (tx) => exportOrganizationValues(tx, developer, { passphrase: PASSPHRASE })),
    ).rejects.toSatisfy(isCode("forbidden"));
    const admin = await f.org.member("admin");
    await expect(
      withContext(admin, (tx) => exportOrganizationValues(tx, admin, { passphrase: PASSPHRASE })),
    ).rejects.toSatisfy(isCode("reauth_required"));
  });

  it("seals every readable value with the passphrase; the CLI opens it with that passphrase only; audited", async () => {
    const admin = await withSession(await f.org.member("admin"));
    const result = await withContext(admin, (tx) =>
      exportOrganizationValues(tx, admin, { passphrase: PASSPHRASE }),
    );
    expect(result.count).toBe(4);
    const text = JSON.stringify(result.sealed);
    for (const clear of [SECRET, "sk_test_51Hstagingkey0000", "stagingsecret", PASSPHRASE])
      expect(text).not.toContain(clear);
    expect(result.sealed).toMatchObject({
      format: "ringbearer.sealed-export/1",
      kdf: { name: "scrypt", N: 131072, r: 8, p: 1 },
      cipher: "aes-256-gcm",
    });
    const file = path.join(dir, "values.sealed.json");
    await writeFile(file, text);

    const opened = openExport(file, PASSPHRASE);
    expect(opened.status, opened.err).toBe(0);
    const data = JSON.parse(opened.out);
    expect(data.format).toBe("ringbearer.values-export/1");
    expect(data.environments.map((e: { name: string }) => e.name)).toEqual([
      "development",
      "staging",
      "production",
    ]);
    const values = Object.fromEntries(
      data.environments.map((e: { name: string; values: { key: string; value: string }[] }) => [
        e.name,
        Object.fromEntries(e.values.map((v) => [v.key, v.value])),
      ]),
    );
    expect(values).toEqual({
      development: { STRIPE_SECRET_KEY: SECRET },
      staging: {
        FEATURE_CHECKOUT: "true",
        SESSION_SECRET: "stagingsecret",
        STRIPE_SECRET_KEY: "sk_test_51Hstagingkey0000",
      },
      production: {},
    });
    expect(opened.out).not.toContain("sk_test_51Hnotthisorganization");

    const wrong = openExport(file, "not the passphrase at all");
    expect(wrong.status).toBe(1);
    expect(wrong.err).toContain("the passphrase is wrong, or the file was changed");
    expect(wrong.out).toBe("");
    // One character of the ciphertext changed, or a parameter swapped: refused the same way.
    const tampered = { ...result.sealed, kdf: { ...result.sealed.kdf, N: 65536 } };
    await writeFile(file, JSON.stringify(tampered));
    expect(openExport(file, PASSPHRASE).err).toContain("the passphrase is wrong, or the file was changed");
    await writeFile(file, "{}");
    expect(openExport(file, PASSPHRASE).err).toContain("is not a sealed Ringbearer export");

    const audit = await withContext(f.org.owner, (tx) =>
      tx
        .select({
          action: environmentVariableAudit.action,
          details: sql<Record<string, unknown>>`${environmentVariableAudit.changeDetails}`,
        })
        .from(environmentVariableAudit)
        .where(
          and(
            eq(environmentVariableAudit.organizationId, f.org.id),
            eq(environmentVariableAudit.userId, admin.userId),
          ),
        ),
    );
    expect(audit.filter((r) => r.action === "decrypt" && r.details.export === "sealed")).toHaveLength(4);
    expect(audit.find((r) => r.action === "export")?.details).toEqual({
      values: 4,
      environments: 3,
      sealed: true,
    });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });
});
