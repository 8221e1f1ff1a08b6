import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/environments/[name]/values/route";
import { withContext } from "@/db/context";
import { insertServiceToken } from "@/db/repos/service-tokens";
import { serviceTokens, environmentVariables as variablesTable } from "@/db/schema";
import { tokenHash } from "@/db/vault";
import { parseDotenv } from "@/lib/dotenv";
import { newServiceToken, tokenHint } from "@/lib/service-tokens";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { readableEnvironments, tokenIdentity } from "@/server/api/listing";
import { parseInput } from "@/server/entry/input";
import {
  authenticateServiceToken,
  createServiceToken,
  revokeServiceToken,
} from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { db, makeOrg, rawSql, type TestOrg } from "./support";

/**
 * GET /api/v1/environments/{name}/values through its route handler (the builder, the token, the service, the
 * database), called with a real Request. Over HTTP against the build: tests/http (role matrix, fuzz).
 */
let a: TestOrg;
let b: TestOrg;

async function setVar(org: TestOrg, name: string, values: Partial<Record<"staging" | "production", string>>) {
  await withContext(org.owner, async (tx) => {
    const v = await createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: name.startsWith("STRIPE") ? ["payments"] : [],
    });
    for (const [env, value] of Object.entries(values))
      await setValue(tx, org.owner, {
        variableId: v.id,
        environmentId: org.env[env as "staging" | "production"],
        value,
        expectedVersion: 0,
      });
  });
}

const token = async (org: TestOrg, input: Record<string, unknown>) =>
  withContext(org.owner, async (tx) =>
    createServiceToken(
      tx,
      org.owner,
      await parseInput(serviceTokenInput, { name: "CI", access: "read", ...input }),
    ),
  );

async function get(path: string, bearer?: string, headers: Record<string, string> = {}) {
  const url = new URL(path, "http://console.test");
  const name = decodeURIComponent(url.pathname.split("/")[4]);
  const response = await GET(
    new Request(url, {
      headers: { ...headers, ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
    }),
    { params: Promise.resolve({ name }) },
  );
  return { status: response.status, headers: response.headers, body: await response.text() };
}
const problem = (r: { body: string }) =>
  JSON.parse(r.body) as { code: string; status: number; errors?: object };

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  await setVar(a, "STRIPE_KEY", { staging: "sk_test_a", production: "sk_live_a" });
  await setVar(a, "RESEND_KEY", { staging: "re_a 'quoted' $HOME", production: "re_live_a" });
  await setVar(a, "PEM_KEY", { production: "-----BEGIN-----\nabc\n-----END-----" });
  await setVar(b, "STRIPE_KEY", { staging: "sk_test_b" });
});

describe("GET /api/v1/environments/{name}/values with a service token", () => {
  it("answers the token's environment's values, in every format, counts the use and audits the read", async () => {
    const { id, token: t } = await token(a, { environments: ["staging"] });
    const json = await get("/api/v1/environments/staging/values", t);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(json.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(JSON.parse(json.body)).toEqual({ RESEND_KEY: "re_a 'quoted' $HOME", STRIPE_KEY: "sk_test_a" });
    const dotenv = await get("/api/v1/environments/staging/values?format=dotenv", t);
    expect(parseDotenv(dotenv.body).entries.map((e) => [e.key, e.value])).toEqual([
      ["RESEND_KEY", "re_a 'quoted' $HOME"],
      ["STRIPE_KEY", "sk_test_a"],
    ]);
    for (const format of ["yaml", "shell", "docker"]) {
      const r = await get(`/api/v1/environments/staging/values?format=${format}`, t);
      expect(r.status, format).toBe(200);
      expect(r.body, format).toContain("sk_test_a");
    }
    const owner = rawSql("owner");
    try {
      const [row] = await owner`select use_count, last_used_at from service_tokens where id = ${id}`;
      expect(Number(row.use_count)).toBe(5);
      expect(row.last_used_at).not.toBeNull();
      const audit = await owner`select action, change_details from environment_variable_audit
        where resource_type = 'service_token' and resource_id = ${id} and action = 'read' order by seq`;
      expect(audit).toHaveLength(5);
      expect(audit[0].change_details).toMatchObject({ environment: "staging", count: 2, format: "json" });
      expect(JSON.stringify(audit)).not.toContain("sk_test_a");
    } finally {
      await owner.end();
    }
  });

  it("reads nothing outside its scope: another environment 403, another organization's same-named one never", async () => {
    const { token: t } = await token(a, { environments: ["staging"] });
    const production = await get("/api/v1/environments/production/values", t);
    expect(production.status).toBe(403);
    expect(production.headers.get("content-type")).toBe("application/problem+json");
    expect(problem(production)).toMatchObject({ code: "forbidden", status: 403 });
    expect(production.body).not.toContain("sk_live_a");
    const missing = await get("/api/v1/environments/nowhere/values", t);
    expect([missing.status, problem(missing).code]).toEqual([404, "not_found"]);
    const { token: tb } = await token(b, { environments: ["staging"] });
    expect(JSON.parse((await get("/api/v1/environments/staging/values", tb)).body)).toEqual({
      STRIPE_KEY: "sk_test_b",
    });
  });

  it("narrows to a name prefix or a tag", async () => {
    const prefix = await token(a, { environments: ["staging"], namePrefix: "RESEND_" });
    expect(
      Object.keys(JSON.parse((await get("/api/v1/environments/staging/values", prefix.token)).body)),
    ).toEqual(["RESEND_KEY"]);
    const tagged = await token(a, { environments: ["staging"], tag: "payments" });
    expect(
      Object.keys(JSON.parse((await get("/api/v1/environments/staging/values", tagged.token)).body)),
    ).toEqual(["STRIPE_KEY"]);
  });

  it("refuses a missing, mistyped, unknown, revoked or expired token with its own code, and says so in WWW-Authenticate", async () => {
    const { id, token: t } = await token(a, { environments: ["staging"] });
    const typo = t.slice(0, 15) + (t[15] === "Q" ? "R" : "Q") + t.slice(16);
    const expired = newServiceToken();
    const expiredHash = await tokenHash(expired);
    await withContext(a.owner, (tx) =>
      insertServiceToken(tx, {
        organizationId: a.id,
        name: "old",
        tokenHash: expiredHash,
        hint: tokenHint(expired),
        environmentIds: [a.env.staging],
        access: "read",
        expiresAt: new Date(Date.now() - 1000),
        createdBy: a.owner.userId,
      }),
    );
    await withContext(a.owner, (tx) => revokeServiceToken(tx, a.owner, id));
    for (const [bearer, code] of [
      ["", "token_invalid"],
      [typo, "token_invalid"],
      [newServiceToken(), "token_invalid"],
      [t, "token_revoked"],
      [expired, "token_expired"],
    ] as const) {
      const r = await get("/api/v1/environments/staging/values", bearer);
      expect([r.status, problem(r).code], String(bearer)).toEqual([401, code]);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(r.body).not.toContain("sk_test_a");
    }
  });

  it("refuses a format that cannot carry a value, naming the key, and audits no read", async () => {
    const { id, token: t } = await token(a, { environments: ["production"] });
    const docker = await get("/api/v1/environments/production/values?format=docker", t);
    expect([docker.status, problem(docker).code]).toEqual([422, "validation"]);
    expect(docker.body).toContain("PEM_KEY");
    expect(docker.body).not.toContain("BEGIN");
    const bogus = await get("/api/v1/environments/production/values?format=toml", t);
    expect([bogus.status, problem(bogus).code]).toEqual([422, "validation"]);
    const owner = rawSql("owner");
    try {
      const reads = await owner`select 1 from environment_variable_audit
        where resource_type = 'service_token' and resource_id = ${id} and action = 'read'`;
      expect(reads).toHaveLength(0);
    } finally {
      await owner.end();
    }
    const used = await withContext(a.owner, (tx) =>
      tx.select({ n: serviceTokens.useCount }).from(serviceTokens).where(eq(serviceTokens.id, id)),
    );
    expect(used[0].n).toBe(0);
  });
});

describe("revalidation and rate limits", () => {
  it("answers an ETag, and 304 with no body while nothing it covers changed; a change, a rename or another format is new", async () => {
    const org = await makeOrg();
    await setVar(org, "ETAG_KEY", { staging: "one" });
    const { token: t } = await token(org, { environments: ["staging"] });
    const first = await get("/api/v1/environments/staging/values", t);
    const tag = first.headers.get("etag") as string;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    // The tag is made of ids and versions: it does not change with nothing, and tells nothing of the value.
    const again = await get("/api/v1/environments/staging/values", t, { "if-none-match": tag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.get("etag")).toBe(tag);
    expect(
      (await get("/api/v1/environments/staging/values", t, { "if-none-match": `W/${tag}, "x"` })).status,
    ).toBe(304);
    expect(
      (await get("/api/v1/environments/staging/values?format=dotenv", t, { "if-none-match": tag })).status,
    ).toBe(200);
    expect((await get("/api/v1/environments/staging/values", t, { "if-none-match": '"other"' })).status).toBe(
      200,
    );
    // Another value: a new tag, and the new value.
    await withContext(org.owner, async (tx) => {
      const [row] = await tx
        .select({ id: variablesTable.id })
        .from(variablesTable)
        .where(eq(variablesTable.name, "ETAG_KEY"));
      await setValue(tx, org.owner, {
        variableId: row.id,
        environmentId: org.env.staging,
        value: "two",
        expectedVersion: 1,
      });
    });
    const changed = await get("/api/v1/environments/staging/values", t, { "if-none-match": tag });
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.body)).toEqual({ ETAG_KEY: "two" });
    expect(changed.headers.get("etag")).not.toBe(tag);
    // A 304 is still a use, audited (with nothing read).
    const owner = rawSql("owner");
    try {
      const rows =
        await owner`select change_details->>'notModified' as nm, (change_details->>'count')::int as n
        from environment_variable_audit where organization_id = ${org.id} and resource_type = 'service_token'
          and action = 'read' order by created_at`;
      expect(rows.filter((r) => r.nm === "true").map((r) => r.n)).toEqual([0, 0]);
    } finally {
      await owner.end();
    }
  });

  it("limits each token to its requests per minute: 429 with Retry-After, and another token is not held back", async () => {
    const org = await makeOrg();
    const before = process.env.RINGBEARER_TOKEN_RATE_LIMIT;
    process.env.RINGBEARER_TOKEN_RATE_LIMIT = "3";
    try {
      const { token: busy } = await token(org, { environments: ["staging"] });
      const { token: other } = await token(org, { environments: ["staging"] });
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await get("/api/v1/environments/staging/values", busy)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await get("/api/v1/environments/staging/values", busy);
      expect(limited.status).toBe(429);
      expect(problem(limited).code).toBe("rate_limited");
      const wait = Number(limited.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect((await get("/api/v1/environments/staging/values", other)).status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.RINGBEARER_TOKEN_RATE_LIMIT;
      else process.env.RINGBEARER_TOKEN_RATE_LIMIT = before;
    }
  });
});

describe("uses that read no value", () => {
  it("list the token's environments and say what it is, each counted and audited once", async () => {
    const org = await makeOrg();
    const { token: t } = await token(org, { environments: ["staging", "production"] });
    const presented = await authenticateServiceToken(db(), t, null);
    expect(await readableEnvironments({ kind: "token", token: presented })).toEqual([
      { name: "staging", type: "staging" },
      { name: "production", type: "production" },
    ]);
    expect(await tokenIdentity(presented)).toMatchObject({ organization: org.slug, access: "read" });
    const owner = rawSql("owner");
    try {
      const audit = await owner`select change_details->>'listed' as listed from environment_variable_audit
        where organization_id = ${org.id} and resource_type = 'service_token' and action = 'read'`;
      expect(audit.map((r) => r.listed).sort()).toEqual(["environments", "whoami"]);
      const [row] = await owner`select use_count from service_tokens where organization_id = ${org.id}`;
      expect(Number(row.use_count)).toBe(2);
    } finally {
      await owner.end();
    }
  });
});
