/**
 * The machine API for a person's session as well as a token (issue 14): the same routes, the same checks. A person
 * reads what the console would export to them (step-up for wedding-critical production values, each value audited
 * as revealed) and writes through the one write path. Other organizations reach nothing by any name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, PASSWORD, productionSecret, rawSql, type TestOrg } from "../db/support";
import { keyOf, problem } from "./api-helpers";
import { HttpSession } from "./session";

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
