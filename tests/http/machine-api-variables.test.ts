/**
 * The machine API's variables, drift and health for a token in its scope (issue 14): variables created only within
 * the token's name prefix, paged by name, deleted on their version; drift and health read by environment name,
 * naming only what the token may see; other environments refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, PASSWORD, rawSql, type TestOrg } from "../db/support";
import { keyOf, problem } from "./api-helpers";
import { HttpSession } from "./session";

describe("variables, drift and health with a token in its scope", () => {
  let a: TestOrg;
  let admin: HttpSession;
  let writer: string;
  let reader: string;
  const prefix = `${keyOf("SCOPE")}_`;
  const outside = keyOf("OUTSIDE");

  const call = (
    token: string,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) =>
    HttpSession.anonymous().request(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    });
  const newVariable = (name: string) =>
    JSON.stringify({
      name,
      variableType: "configuration",
      securityClassification: "internal",
      isRequired: true,
    });

  beforeAll(async () => {
    a = await makeOrg();
    admin = await HttpSession.signIn((await a.member("admin")).email, PASSWORD);
    const made = async (access: string) => {
      const answer = await admin.request("/api/v1/tokens", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: access,
          environments: ["staging"],
          access,
          expiresInDays: 1,
          namePrefix: prefix,
        }),
      });
      expect(answer.status, answer.body).toBe(201);
      return (JSON.parse(answer.body) as { token: string }).token;
    };
    [writer, reader] = [await made("read-write"), await made("read")];
    expect(
      (
        await admin.request("/api/v1/variables", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: newVariable(outside),
        })
      ).status,
    ).toBe(201);
  }, 120_000);

  it("creates within the prefix only, pages by name, and deletes with the variable's version", async () => {
    for (const n of ["A", "B", "C"]) {
      const created = await call(writer, "/api/v1/variables", {
        method: "POST",
        body: newVariable(`${prefix}${n}`),
      });
      expect(created.status, created.body).toBe(201);
    }
    const out = await call(writer, "/api/v1/variables", {
      method: "POST",
      body: newVariable(keyOf("ELSEWHERE")),
    });
    expect([out.status, problem(out).code]).toEqual([403, "forbidden"]);
    const again = await call(writer, "/api/v1/variables", {
      method: "POST",
      body: newVariable(`${prefix}A`),
    });
    expect([again.status, problem(again).code]).toEqual([409, "conflict"]);
    const bad = await call(writer, "/api/v1/variables", { method: "POST", body: newVariable("lower case") });
    expect([bad.status, problem(bad).code]).toEqual([422, "validation"]);
    expect(Object.keys(problem(bad).errors ?? {})).toContain("name");
    const readOnly = await call(reader, "/api/v1/variables", {
      method: "POST",
      body: newVariable(`${prefix}D`),
    });
    expect([readOnly.status, problem(readOnly).code]).toEqual([403, "forbidden"]);

    const set = await call(writer, `/api/v1/environments/staging/values/${prefix}A`, {
      method: "PUT",
      headers: { "if-none-match": "*" },
      body: JSON.stringify({ value: "in scope" }),
    });
    expect(set.status, set.body).toBe(200);

    type Page = {
      variables: { name: string; values: Record<string, number>; version: number }[];
      next: string | null;
    };
    const first = JSON.parse((await call(reader, "/api/v1/variables?limit=2")).body) as Page;
    expect(first.variables.map((v) => v.name)).toEqual([`${prefix}A`, `${prefix}B`]);
    expect(first.variables[0].values).toEqual({ staging: 1 });
    expect(first.next).toBe(`${prefix}B`);
    const second = JSON.parse(
      (await call(reader, `/api/v1/variables?limit=2&after=${first.next}`)).body,
    ) as Page;
    expect([second.variables.map((v) => v.name), second.next]).toEqual([[`${prefix}C`], null]);
    expect((await call(reader, `/api/v1/variables/${outside}`)).status).toBe(404);
    expect([(await call(reader, "/api/v1/variables?limit=0")).status]).toEqual([422]);

    const c = await call(reader, `/api/v1/variables/${prefix}C`);
    expect(c.status, c.body).toBe(200);
    const version = Number(JSON.parse(c.body).version);
    const stale = await call(writer, `/api/v1/variables/${prefix}C`, {
      method: "DELETE",
      headers: { "if-match": `"${version + 1}"` },
    });
    expect([stale.status, problem(stale).code]).toEqual([409, "conflict"]);
    const gone = await call(writer, `/api/v1/variables/${prefix}C`, {
      method: "DELETE",
      headers: { "if-match": `"${version}"` },
    });
    expect(gone.status, gone.body).toBe(204);
    expect((await call(reader, `/api/v1/variables/${prefix}C`)).status).toBe(404);
    expect(
      (
        await call(writer, `/api/v1/variables/${outside}`, {
          method: "DELETE",
          headers: { "if-match": '"1"' },
        })
      ).status,
    ).toBe(404);
  });

  it("replaces a variable's metadata on its version, within the prefix, and leaves lowering protection to a reviewer", async () => {
    const body = (name: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ name, variableType: "configuration", securityClassification: "internal", ...extra });
    const made = await call(writer, "/api/v1/variables", {
      method: "POST",
      body: body(`${prefix}META`, { isWeddingCritical: true }),
    });
    expect(made.status, made.body).toBe(201);
    const version = Number(JSON.parse(made.body).version);
    const put = (key: string, v: number, payload: string) =>
      call(writer, `/api/v1/variables/${key}`, {
        method: "PUT",
        headers: { "if-match": `"${v}"` },
        body: payload,
      });

    const described = await put(
      `${prefix}META`,
      version,
      body(`${prefix}META`, { isWeddingCritical: true, description: "Meta" }),
    );
    expect(described.status, described.body).toBe(200);
    expect(described.headers.get("etag")).toBe(`"${version + 1}"`);
    const stale = await put(`${prefix}META`, version, body(`${prefix}META`, { isWeddingCritical: true }));
    expect([stale.status, problem(stale).code]).toEqual([409, "conflict"]);
    const away = await put(`${prefix}META`, version + 1, body(keyOf("AWAY"), { isWeddingCritical: true }));
    expect([away.status, problem(away).code]).toEqual([403, "forbidden"]);
    const lowered = await put(
      `${prefix}META`,
      version + 1,
      body(`${prefix}META`, { isWeddingCritical: false }),
    );
    expect(lowered.status, lowered.body).toBe(202);
    expect(JSON.parse(lowered.body).changeRequest.riskLevel).toBe("HIGH");
    const still = JSON.parse((await call(reader, `/api/v1/variables/${prefix}META`)).body);
    expect([still.weddingCritical, still.description, still.version]).toEqual([true, "Meta", version + 1]);
    const readOnly = await call(reader, `/api/v1/variables/${prefix}META`, {
      method: "PUT",
      headers: { "if-match": `"${version + 1}"` },
      body: body(`${prefix}META`),
    });
    expect(readOnly.status).toBe(403);
  });

  it("reads drift and health by environment name, naming only what is in scope", async () => {
    const s = rawSql("super");
    try {
      for (const name of [`${prefix}B`, outside])
        await s`insert into configuration_drift (organization_id, environment_id, drift_type, variable_name, drift_key, drift_severity)
                values (${a.id}, ${a.env.staging}, 'missing_variable', ${name}, ${`test:${name}`}, 'high')`;
    } finally {
      await s.end();
    }
    const drift = await call(reader, "/api/v1/environments/staging/drift");
    expect(drift.status, drift.body).toBe(200);
    expect((JSON.parse(drift.body) as { drift: { name: string }[] }).drift.map((d) => d.name)).toEqual([
      `${prefix}B`,
    ]);
    const all = await admin.request("/api/v1/environments/staging/drift");
    expect((JSON.parse(all.body) as { drift: { name: string }[] }).drift.map((d) => d.name).sort()).toEqual(
      [`${prefix}B`, outside].sort(),
    );

    const health = await call(reader, "/api/v1/environments/staging/health");
    expect(health.status, health.body).toBe(200);
    const h = JSON.parse(health.body) as {
      status: string;
      missingNames: string[];
      missingVariables: number;
      configurationDrift: number;
    };
    expect(h.status).toBe("critical");
    // Required and unset in staging: B (in scope) and the one outside, counted; only B is named to this token.
    expect(h.missingNames).toEqual([`${prefix}B`]);
    expect(h.missingVariables).toBe(2);
    expect(h.configurationDrift).toBe(2);
    for (const path of ["/api/v1/environments/production/health", "/api/v1/environments/production/drift"])
      expect((await call(reader, path)).status, path).toBe(403);
    expect((await call(reader, "/api/v1/environments/nowhere/health")).status).toBe(404);
  });
});
