/**
 * The machine API for a person's session as well as a token (issue 14): the same routes, the same checks. A person
 * reads what the console would export to them (step-up for wedding-critical production values, each value audited
 * as revealed) and writes through the one write path; variables are listed, read, created and deleted within a
 * token's scope; drift and health read by name. Other organizations reach nothing by any name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, PASSWORD, productionSecret, rawSql, type TestOrg, unique } from "../db/support";
import { type Answer, HttpSession } from "./session";

type Problem = { code?: string; errors?: Record<string, string[]> };
const problem = (a: Answer): Problem => {
  try {
    return JSON.parse(a.body) as Problem;
  } catch {
    return {};
  }
};
const keyOf = (prefix: string) =>
  unique(prefix)
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");

/** Rows of the organization's audit trail of one action since the test began (as the superuser). */
async function auditRows(org: TestOrg, action: string) {
  const s = rawSql("super");
  try {
    return await s<{ resource_type: string; details: Record<string, unknown> }[]>`
      select resource_type, change_details as details from environment_variable_audit
       where organization_id = ${org.id} and action = ${action} order by seq`;
  } finally {
    await s.end();
  }
}

/** Moves every session of the user's last verification ten minutes back: the step-up window has passed. */
async function ageSessions(userId: string) {
  const s = rawSql("super");
  try {
    await s`update sessions set verified_at = now() - interval '10 minutes' where user_id = ${userId}`;
  } finally {
    await s.end();
  }
}

describe("the machine API with a person's session", () => {
  let a: TestOrg;
  let b: TestOrg;
  let adminId: string;
  let admin: HttpSession;
  let viewer: HttpSession;
  let otherAdmin: HttpSession;
  const key = keyOf("P_KEY");
  const critical = keyOf("P_CRIT");

  beforeAll(async () => {
    [a, b] = await Promise.all([makeOrg(), makeOrg()]);
    const adminMember = await a.member("admin");
    adminId = adminMember.userId;
    admin = await HttpSession.signIn(adminMember.email, PASSWORD);
    viewer = await HttpSession.signIn((await a.member("viewer")).email, PASSWORD);
    otherAdmin = await HttpSession.signIn((await b.member("admin")).email, PASSWORD);
    await productionSecret(a, {
      name: critical,
      classification: "wedding_day_critical",
      value: "sk_live_critical_value",
      note: "A critical value for the API test",
    });
  }, 120_000);

  const json = (body: unknown) => ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  it("creates, reads and writes a value as the console would let them, and 409s a stale version", async () => {
    const created = await admin.request("/api/v1/variables", {
      method: "POST",
      ...json({ name: key, variableType: "configuration", securityClassification: "internal" }),
    });
    expect(created.status, created.body).toBe(201);
    const set = await admin.request(`/api/v1/environments/staging/values/${key}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "if-none-match": "*" },
      body: JSON.stringify({ value: "first" }),
    });
    expect(set.status, set.body).toBe(200);
    expect(set.headers.get("etag")).toBe('"1"');

    const one = await admin.request(`/api/v1/environments/staging/values/${key}`);
    expect(one.status, one.body).toBe(200);
    expect(JSON.parse(one.body)).toMatchObject({ key, value: "first", version: 1 });
    const all = await admin.request("/api/v1/environments/staging/values?format=dotenv");
    expect(all.status, all.body).toBe(200);
    expect(all.body).toContain(`${key}=first`);
    // Read by a person: an export, each value revealed (with its hash, never the value).
    const exports = await auditRows(a, "export");
    expect(exports.at(-1)?.details).toMatchObject({ environment: "staging", format: "dotenv", via: "api" });
    expect(JSON.stringify(await auditRows(a, "decrypt"))).not.toContain("first");

    const moved = await admin.request(`/api/v1/environments/staging/values/${key}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "if-match": '"1"' },
      body: JSON.stringify({ value: "second" }),
    });
    expect(moved.status, moved.body).toBe(200);
    const stale = await admin.request(`/api/v1/environments/staging/values/${key}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "if-match": '"1"' },
      body: JSON.stringify({ value: "lost update" }),
    });
    expect([stale.status, problem(stale).code]).toEqual([409, "conflict"]);
    expect(JSON.parse((await admin.request(`/api/v1/environments/staging/values/${key}`)).body).value).toBe(
      "second",
    );
  });

  it("asks a person to re-authenticate before a wedding-critical production value leaves", async () => {
    const fresh = await admin.request("/api/v1/environments/production/values");
    expect(fresh.status, fresh.body).toBe(200);
    expect(JSON.parse(fresh.body)[critical]).toBe("sk_live_critical_value");
    await ageSessions(adminId);
    for (const path of [
      "/api/v1/environments/production/values",
      `/api/v1/environments/production/values/${critical}`,
    ]) {
      const stale = await admin.request(path);
      expect([stale.status, problem(stale).code], path).toEqual([401, "reauth_required"]);
      expect(stale.body).not.toContain("sk_live_critical_value");
    }
  });

  it("makes a CRITICAL production change a change request, and refuses what the role may not do", async () => {
    const owner = await HttpSession.signIn((await a.member("owner")).email, PASSWORD);
    const current = JSON.parse(
      (await owner.request(`/api/v1/environments/production/values/${critical}`)).body,
    );
    const change = await owner.request(`/api/v1/environments/production/values/${critical}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "if-match": `"${current.version}"` },
      body: JSON.stringify({ value: "sk_live_rotated" }),
    });
    expect(change.status, change.body).toBe(202);
    expect(change.headers.get("location")).toMatch(new RegExp(`^/o/${a.slug}/approvals#request-`));

    // A viewer reads staging but writes nothing, and never reads production.
    expect((await viewer.request(`/api/v1/environments/staging/values/${key}`)).status).toBe(200);
    const write = await viewer.request(`/api/v1/environments/staging/values/${key}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "if-match": '"2"' },
      body: JSON.stringify({ value: "viewer" }),
    });
    expect([write.status, problem(write).code]).toEqual([403, "forbidden"]);
    const prod = await viewer.request("/api/v1/environments/production/values");
    expect([prod.status, problem(prod).code]).toEqual([403, "forbidden"]);
    expect(prod.body).not.toContain("sk_live");
    const create = await viewer.request("/api/v1/variables", {
      method: "POST",
      ...json({ name: keyOf("VIEWER"), variableType: "configuration", securityClassification: "internal" }),
    });
    expect(create.status).toBe(403);
  });

  it("keeps organizations apart, and refuses the anonymous and other sites", async () => {
    const named = await otherAdmin.request(`/api/v1/environments/staging/values?org=${a.slug}`);
    expect([named.status, problem(named).code]).toEqual([403, "forbidden"]);
    const own = await otherAdmin.request("/api/v1/environments/staging/values");
    expect(own.status, own.body).toBe(200);
    expect(own.body).not.toContain(key);
    expect((await otherAdmin.request(`/api/v1/variables/${key}`)).status).toBe(404);
    const anonymous = await HttpSession.anonymous().request("/api/v1/environments/staging/values");
    expect([anonymous.status, problem(anonymous).code]).toEqual([401, "unauthorized"]);
    const crossSite = await admin.request(`/api/v1/environments/staging/values/${key}`, {
      method: "DELETE",
      headers: { origin: "https://evil.example", "if-match": '"2"' },
    });
    expect(crossSite.status).toBe(403);
    expect((await admin.request(`/api/v1/environments/staging/values/${key}`)).status).toBe(200);
  });
});

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
