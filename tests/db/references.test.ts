import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/environments/[name]/values/route";
import { type TenantContext, withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { deployedHash } from "@/lib/sync-protocol";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { changeRole } from "@/server/access/members";
import { pushToTarget } from "@/server/deploy/deploy";
import { scanTarget } from "@/server/drift/drift";
import { parseInput } from "@/server/entry/input";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { exportEnvironment } from "@/server/values/export";
import { revealValue, setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, rawSql, type TestOrg } from "./support";
import { addHttpTarget, loopbackDeployment } from "./target-fixture";

/**
 * References (issue 14): `${KEY}` and `${env.KEY}` are stored as written, resolved for the API, exports and
 * deployments, refused at save when they would not resolve for the writer, and at read when they no longer do.
 */
type Env = "development" | "staging" | "production";
let org: TestOrg;
const ids: Record<string, string> = {};
const versions: Record<string, number> = {};
const superSql = rawSql("super");
afterAll(() => superSql.end());

const variable = async (name: string) => {
  ids[name] ??= (
    await withContext(org.owner, (tx) =>
      createVariable(tx, org.owner, {
        name,
        variableType: name.startsWith("FLAG_") ? "feature_flag" : "configuration",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      }),
    )
  ).id;
  return ids[name];
};

/** Sets a value as `who` (the owner by default): its new version, or the AppError that refused it. */
async function set(env: Env, name: string, value: string, who: TenantContext = org.owner) {
  const id = await variable(name);
  const slot = `${env}.${name}`;
  try {
    const outcome = await withContext(who, (tx) =>
      setValue(tx, who, {
        variableId: id,
        environmentId: org.env[env],
        value,
        expectedVersion: versions[slot] ?? 0,
      }),
    );
    if (outcome.status !== "applied") throw new Error(`${slot} waits for approval`);
    versions[slot] = outcome.version;
    return outcome.version;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

const tokenFor = async (who: TenantContext, environments: Env[], namePrefix?: string) =>
  (
    await withContext(who, async (tx) =>
      createServiceToken(
        tx,
        who,
        await parseInput(serviceTokenInput, { name: "CI", access: "read", environments, namePrefix }),
      ),
    )
  ).token;

async function read(token: string, env: Env, headers: Record<string, string> = {}) {
  const response = await GET(
    new Request(`http://console.test/api/v1/environments/${env}/values`, {
      headers: { ...headers, authorization: `Bearer ${token}` },
    }),
    { params: Promise.resolve({ name: env }) },
  );
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get("etag"),
    body: text ? JSON.parse(text) : null,
  };
}

beforeAll(async () => {
  org = await makeOrg();
  await set("production", "DB_PASSWORD", "prod-pw");
  await set("staging", "DB_HOST", "db.staging.internal");
  await set("staging", "DB_URL", "postgres://app:${production.DB_PASSWORD}@${DB_HOST}/app");
  await set("staging", "LITERAL", "costs $${AMOUNT} and $5");
});

describe("references", () => {
  it("resolve for a token at read, stay stored as written, and a referred change is a new ETag", async () => {
    const token = await tokenFor(org.owner, ["staging"]);
    const first = await read(token, "staging");
    expect(first.status).toBe(200);
    expect(first.body.DB_URL).toBe("postgres://app:prod-pw@db.staging.internal/app");
    expect(first.body.LITERAL).toBe("costs ${AMOUNT} and $5");
    // Stored as written: the reveal shows the reference, and what it resolves to beneath it.
    const revealed = await withContext(org.owner, (tx) =>
      revealValue(tx, org.owner, { variableId: ids.DB_URL, environmentId: org.env.staging }),
    );
    expect(revealed.value).toBe("postgres://app:${production.DB_PASSWORD}@${DB_HOST}/app");
    expect(revealed.resolved).toEqual({ value: "postgres://app:prod-pw@db.staging.internal/app" });
    // A change in another environment is a change of this answer.
    expect((await read(token, "staging", { "if-none-match": first.etag as string })).status).toBe(304);
    await set("production", "DB_PASSWORD", "rotated-pw");
    const after = await read(token, "staging", { "if-none-match": first.etag as string });
    expect(after.status).toBe(200);
    expect(after.body.DB_URL).toBe("postgres://app:rotated-pw@db.staging.internal/app");
  });

  it("refuse a circle, a chain over ten deep and a missing value at save, naming them; nothing is written", async () => {
    await set("staging", "LOOP_A", "a");
    await set("staging", "LOOP_B", "${LOOP_A}");
    const circle = await set("staging", "LOOP_A", "${LOOP_B}");
    expect(circle).toBeInstanceOf(AppError);
    expect((circle as AppError).fieldErrors?.value).toEqual([
      "References go round in a circle: staging.LOOP_A → staging.LOOP_B → staging.LOOP_A",
    ]);
    for (let i = 11; i >= 1; i--) await set("staging", `DEEP_${i}`, i === 11 ? "end" : `\${DEEP_${i + 1}}`);
    const deep = await set("staging", "DEEP_0", "${DEEP_1}");
    expect((deep as AppError).fieldErrors?.value?.[0]).toMatch(
      /^References go more than 10 deep: staging\.DEEP_0 →/,
    );
    expect(await set("staging", "TEN_DEEP", "${DEEP_2}")).toBeTypeOf("number");
    const missing = await set("staging", "DANGLING", "${production.NOT_THERE}");
    expect((missing as AppError).fieldErrors?.value).toEqual([
      "staging.DANGLING refers to production.NOT_THERE, which has no value",
    ]);
    const [{ n }] = await superSql`select count(*)::int as n from environment_variable_values
      where variable_id = ${ids.LOOP_A} and version > 1`;
    expect(n).toBe(0);
  });

  it("check a value's type on what it resolves to", async () => {
    await set("staging", "SOURCE", "on");
    expect(await set("staging", "FLAG_CHECKOUT", "${SOURCE}")).toBeTypeOf("number");
    await set("staging", "OTHER_SOURCE", "maybe");
    const refused = await set("staging", "FLAG_CHECKOUT", "${OTHER_SOURCE}");
    expect((refused as AppError).fieldErrors?.value?.[0]).toMatch(/^Feature flags must be true or false/);
  });

  it("refuse at save a reference the writer may not read, and at read once the reader may no longer read it", async () => {
    const developer = await org.member("developer");
    const refused = await set("staging", "LEAK", "${production.DB_PASSWORD}", developer);
    expect((refused as AppError).fieldErrors?.value).toEqual([
      "staging.LEAK refers to production.DB_PASSWORD, which you may not read",
    ]);
    // An admin's token reads the reference; demoted to developer, the admin (and so the token) no longer may.
    const admin = await org.member("admin");
    const token = await tokenFor(admin, ["staging"]);
    expect((await read(token, "staging")).status).toBe(200);
    const demoted = await withContext(org.owner, (tx) =>
      changeRole(
        tx,
        org.owner,
        { userId: admin.userId, role: "developer" },
        { reason: "Moved to the app team" },
      ),
    );
    expect(demoted.status).toBe("applied");
    const after = await read(token, "staging");
    expect(after.status).toBe(403);
    expect(after.body.errors.DB_URL).toEqual([
      "staging.DB_URL refers to production.DB_PASSWORD, which you may not read",
    ]);
    expect(JSON.stringify(after.body)).not.toContain("pw");
    // A token narrowed to a prefix may not resolve a reference outside it either.
    await set("staging", "APP_GREETING", "hello from ${DB_HOST}");
    const narrow = await read(await tokenFor(org.owner, ["staging"], "APP_"), "staging");
    expect(narrow.status).toBe(403);
    expect(narrow.body.errors).toEqual({
      APP_GREETING: ["staging.APP_GREETING refers to staging.DB_HOST, which you may not read"],
    });
  });

  it("resolve in an export (each referred value audited as revealed) and in a deployment, which then shows no drift", async () => {
    const exported = await withContext(org.owner, (tx) =>
      exportEnvironment(tx, org.owner, org.env.staging, "json"),
    );
    expect(JSON.parse(exported.body).DB_URL).toMatch(/^postgres:\/\/app:rotated-pw@/);
    const [{ n }] = await superSql`select count(*)::int as n from environment_variable_audit
      where organization_id = ${org.id} and action = 'decrypt' and variable_id = ${ids.DB_PASSWORD}
        and change_details->>'referredFrom' = 'staging'`;
    expect(n).toBeGreaterThanOrEqual(1);

    // Referring to a wedding-critical production value asks for the step-up its reveal asks for.
    await superSql`update environment_variables set is_wedding_critical = true where id = ${ids.DB_PASSWORD}`;
    try {
      await expect(
        withContext(org.owner, (tx) => exportEnvironment(tx, org.owner, org.env.staging, "json")),
      ).rejects.toSatisfy((e) => e instanceof AppError && e.code === "reauth_required");
    } finally {
      await superSql`update environment_variables set is_wedding_critical = false where id = ${ids.DB_PASSWORD}`;
    }

    const secret = "a-shared-secret-for-reference-deploys-0001";
    const deployment = await loopbackDeployment(secret);
    try {
      const targetId = await addHttpTarget(org, {
        environmentId: org.env.staging,
        name: "web",
        location: deployment.url,
        secret,
      });
      expect(await pushToTarget(org.owner, { targetId })).toMatchObject({ status: "completed" });
      const state = await deployment.deployed.state();
      expect(state.get("DB_URL")).toBe(
        deployedHash(secret, "postgres://app:rotated-pw@db.staging.internal/app"),
      );
      expect(await scanTarget(org.owner, targetId)).toMatchObject({ ok: true, open: 0 });
    } finally {
      await deployment.close();
    }
  });
});
