import { beforeAll, describe, expect, it } from "vitest";
import { DELETE, PUT } from "@/app/api/v1/environments/[name]/values/[key]/route";
import { GET } from "@/app/api/v1/environments/[name]/values/route";
import { withContext } from "@/db/context";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { parseInput } from "@/server/entry/input";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, rawSql, startWeddingHours, type TestOrg } from "./support";

/**
 * Writes with a read-write service token (PUT and DELETE /api/v1/environments/{name}/values/{key}) through
 * their route handlers, with real Requests: the same gate as a person's write — If-Match versions, wedding
 * hours, four-eyes for HIGH and CRITICAL changes — within the token's scope.
 */
let a: TestOrg;
let b: TestOrg;

const variable = (org: TestOrg, name: string, classification = "internal") =>
  withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name,
      variableType: "secret",
      securityClassification: classification as "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );

const token = async (org: TestOrg, input: Record<string, unknown>) =>
  (
    await withContext(org.owner, async (tx) =>
      createServiceToken(
        tx,
        org.owner,
        await parseInput(serviceTokenInput, { name: "deploys", access: "read-write", ...input }),
      ),
    )
  ).token;

type Answer = { status: number; headers: Headers; body: string };
async function call(
  handler: typeof PUT,
  method: "PUT" | "DELETE",
  path: string,
  bearer: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, "http://console.test");
  const [, , , , name, , key] = url.pathname.split("/");
  const response = await handler(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", ...init.headers },
      body: init.body,
    }),
    { params: Promise.resolve({ name: decodeURIComponent(name), key: decodeURIComponent(key) }) },
  );
  return { status: response.status, headers: response.headers, body: await response.text() };
}
const put = (path: string, bearer: string, body: unknown, headers: Record<string, string> = {}) =>
  call(PUT, "PUT", path, bearer, { headers, body: typeof body === "string" ? body : JSON.stringify(body) });
const code = (a: Answer) => (JSON.parse(a.body) as { code?: string }).code;
async function values(env: string, bearer: string) {
  const r = await GET(
    new Request(`http://console.test/api/v1/environments/${env}/values`, {
      headers: { authorization: `Bearer ${bearer}` },
    }),
    { params: Promise.resolve({ name: env }) },
  );
  return JSON.parse(await r.text()) as Record<string, string>;
}

beforeAll(async () => {
  a = await makeOrg();
  b = await makeOrg();
  await variable(a, "API_URL");
  await variable(a, "PAYMENTS_KEY", "wedding_day_critical");
  await variable(a, "APP_NAME");
  await variable(b, "ONLY_IN_B");
});

describe("writing values with a read-write token", () => {
  it("sets with If-None-Match: * then If-Match, refuses a stale version (409) and a write without a precondition (428)", async () => {
    const t = await token(a, { environments: ["staging"] });
    const path = "/api/v1/environments/staging/values/API_URL";
    const bare = await put(path, t, { value: "https://one.example" });
    expect(bare.status).toBe(428);
    expect(code(bare)).toBe("precondition_required");

    const created = await put(path, t, { value: "https://one.example" }, { "if-none-match": "*" });
    expect(created.status, created.body).toBe(200);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(JSON.parse(created.body)).toEqual({ status: "applied", key: "API_URL", version: 1 });

    const updated = await put(path, t, { value: "https://two.example" }, { "if-match": '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get("etag")).toBe('"2"');
    const stale = await put(path, t, { value: "https://lost.example" }, { "if-match": '"1"' });
    expect(stale.status).toBe(409);
    expect(code(stale)).toBe("conflict");
    expect((await put(path, t, { value: "x" }, { "if-none-match": "*" })).status).toBe(409);
    expect((await values("staging", t)).API_URL).toBe("https://two.example");

    const gone = await call(DELETE, "DELETE", path, t, { headers: { "if-match": '"2"' } });
    expect(gone.status).toBe(204);
    expect(await values("staging", t)).not.toHaveProperty("API_URL");
  });

  it("turns a CRITICAL production change into a change request (202), and is refused during wedding hours (423)", async () => {
    const org = await makeOrg();
    await variable(org, "PAYMENTS_KEY", "wedding_day_critical");
    await variable(org, "APP_NAME");
    const t = await token(org, { environments: ["production"] });
    const requested = await put(
      "/api/v1/environments/production/values/PAYMENTS_KEY",
      t,
      { value: "sk_live_new", note: "rotate the key" },
      { "if-none-match": "*" },
    );
    expect(requested.status, requested.body).toBe(202);
    const body = JSON.parse(requested.body) as {
      changeRequest: { id: string; riskLevel: string; url: string };
    };
    expect(body.changeRequest.riskLevel).toBe("CRITICAL");
    expect(body.changeRequest.url).toBe(`/o/${org.slug}/approvals#request-${body.changeRequest.id}`);
    expect(requested.headers.get("location")).toBe(body.changeRequest.url);
    expect(requested.body).not.toContain("sk_live_new");
    // Nothing is applied until a reviewer decides.
    expect(await values("production", t)).toEqual({});

    await startWeddingHours(org);
    const locked = await put(
      "/api/v1/environments/production/values/APP_NAME",
      t,
      { value: "x" },
      {
        "if-none-match": "*",
      },
    );
    expect(locked.status).toBe(423);
    expect(code(locked)).toBe("wedding_hours");
    const owner = rawSql("owner");
    try {
      const [row] = await owner`select count(*)::int as n from environment_variable_values v
        join environments e on e.id = v.environment_id where e.organization_id = ${org.id}`;
      expect(row.n).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it("stays in its scope: a read token, another environment, a name outside its prefix, another organization's key", async () => {
    const reader = await token(a, { environments: ["staging"], access: "read" });
    const refused = await put(
      "/api/v1/environments/staging/values/APP_NAME",
      reader,
      { value: "x" },
      {
        "if-none-match": "*",
      },
    );
    expect(refused.status).toBe(403);
    const staging = await token(a, { environments: ["staging"] });
    expect(
      (
        await put(
          "/api/v1/environments/production/values/APP_NAME",
          staging,
          { value: "x" },
          { "if-none-match": "*" },
        )
      ).status,
    ).toBe(403);
    const prefixed = await token(a, { environments: ["staging"], namePrefix: "API_" });
    expect(
      (
        await put(
          "/api/v1/environments/staging/values/APP_NAME",
          prefixed,
          { value: "x" },
          { "if-none-match": "*" },
        )
      ).status,
    ).toBe(403);
    const other = await put(
      "/api/v1/environments/staging/values/ONLY_IN_B",
      staging,
      { value: "x" },
      {
        "if-none-match": "*",
      },
    );
    expect(other.status).toBe(404);
    expect(code(other)).toBe("not_found");
  });

  it("answers bad input with a code, never a 500: not JSON, a NUL, no value, an unreadable If-Match", async () => {
    const t = await token(a, { environments: ["staging"] });
    const path = "/api/v1/environments/staging/values/APP_NAME";
    for (const [body, headers] of [
      ["{not json", { "if-none-match": "*" }],
      [{ value: "a\u0000b" }, { "if-none-match": "*" }],
      [{}, { "if-none-match": "*" }],
      [{ value: 3 }, { "if-none-match": "*" }],
      [{ value: "x" }, { "if-match": '"three"' }],
    ] as const) {
      const answer = await put(path, t, body, headers);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(code(answer)).toBe("validation");
    }
  });
});
