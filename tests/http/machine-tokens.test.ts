/**
 * Service tokens over HTTP against the production build (issue 14): a person creates one with their session
 * (POST /api/v1/tokens), a pipeline reads with it, the person revokes it (DELETE /api/v1/tokens/{id}). What
 * each refusal is: no session, the wrong role, another site, bad input, a mistyped, revoked or out-of-scope
 * token, and another organization by any id.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { approveAs, makeOrg, PASSWORD, rawSql, type TestOrg, unique } from "../db/support";
import { HttpSession } from "./session";

type Problem = { code?: string; errors?: Record<string, string[]>; status?: number };
const problem = (body: string): Problem => {
  try {
    return JSON.parse(body) as Problem;
  } catch {
    return {};
  }
};

/** A variable with a value in each environment given (approved where it waits). */
async function variableIn(org: TestOrg, key: string, values: Partial<Record<keyof TestOrg["env"], string>>) {
  const made = await withContext(org.owner, (tx) =>
    createVariable(tx, org.owner, {
      name: key,
      variableType: "configuration",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    }),
  );
  for (const [env, value] of Object.entries(values))
    await approveAs(
      org,
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: made.id,
          environmentId: org.env[env as keyof TestOrg["env"]],
          value,
          expectedVersion: 0,
          note: "machine token test",
        }),
      ),
    );
}

describe("service tokens over HTTP", () => {
  let a: TestOrg;
  let b: TestOrg;
  let admin: HttpSession;
  let developer: HttpSession;
  let otherAdmin: HttpSession;
  const aKey = unique("A_KEY")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
  const bKey = unique("B_KEY")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");

  beforeAll(async () => {
    [a, b] = await Promise.all([makeOrg(), makeOrg()]);
    await variableIn(a, aKey, { staging: "a-staging", production: "a-production" });
    await variableIn(b, bKey, { staging: "b-staging" });
    admin = await HttpSession.signIn((await a.member("admin")).email, PASSWORD);
    developer = await HttpSession.signIn((await a.member("developer")).email, PASSWORD);
    otherAdmin = await HttpSession.signIn((await b.member("admin")).email, PASSWORD);
  }, 120_000);

  const create = (session: HttpSession, body: unknown, init: { headers?: Record<string, string> } = {}) =>
    session.request("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const read = (token: string, env: string, query = "") =>
    HttpSession.anonymous().request(`/api/v1/environments/${env}/values${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it("an admin creates a staging token that reads staging, not production, and revokes it", async () => {
    const made = await create(admin, {
      name: "staging deploys",
      environments: ["staging"],
      access: "read",
      expiresInDays: 1,
    });
    expect(made.status, made.body).toBe(201);
    expect(made.headers.get("cache-control")).toBe("no-store");
    const { id, token } = JSON.parse(made.body) as { id: string; token: string };
    expect(token).toMatch(/^rb_st_[0-9A-Za-z]{38}$/);

    const staging = await read(token, "staging");
    expect(staging.status, staging.body).toBe(200);
    expect(JSON.parse(staging.body)).toEqual({ [aKey]: "a-staging" });
    const production = await read(token, "production");
    expect(production.status).toBe(403);
    expect(problem(production.body).code).toBe("forbidden");
    expect(production.body).not.toContain("a-production");

    // A typo is not a revoked token.
    const typo = token.slice(0, 10) + (token[10] === "a" ? "b" : "a") + token.slice(11);
    expect(problem((await read(typo, "staging")).body).code).toBe("token_invalid");

    // The list shows it, by hint, never the token.
    const list = await admin.request("/api/v1/tokens");
    expect(list.status).toBe(200);
    expect(list.body).toContain(id);
    expect(list.body).not.toContain(token);
    const listed = (JSON.parse(list.body) as { tokens: { id: string; useCount: number }[] }).tokens;
    expect(listed.find((t) => t.id === id)?.useCount).toBe(1);

    const revoked = await admin.request(`/api/v1/tokens/${id}`, { method: "DELETE" });
    expect(revoked.status, revoked.body).toBe(204);
    const after = await read(token, "staging");
    expect(after.status).toBe(401);
    expect(problem(after.body).code).toBe("token_revoked");
    expect(after.headers.get("www-authenticate")).toMatch(/invalid_token/);
    // Revoking again finds no live token.
    expect((await admin.request(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("refuses without a session, for a role without the capability, and from another site", async () => {
    const body = { name: "t", environments: ["staging"], access: "read", expiresInDays: 1 };
    const anonymous = await create(HttpSession.anonymous(), body);
    expect(anonymous.status).toBe(401);
    expect(problem(anonymous.body).code).toBe("unauthorized");
    const dev = await create(developer, body);
    expect(dev.status).toBe(403);
    expect(problem(dev.body).code).toBe("forbidden");
    const crossSite = await create(admin, body, { headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).not.toContain("rb_st_");
  });

  it("answers bad input with validation field errors and creates nothing", async () => {
    const before = (await admin.request("/api/v1/tokens")).body;
    const cases: [unknown, string][] = [
      ["{not json", "form"],
      [[1, 2], "form"],
      [{ name: "t", environments: ["nowhere"], access: "read", expiresInDays: 1 }, "environments"],
      [{ name: "t", environments: [], access: "read" }, "environments"],
      [{ name: "t", environments: ["staging"], access: "admin" }, "access"],
      [{ name: "t", environments: ["staging"], access: "read", expiresInDays: 366 }, "expiresInDays"],
      [{ name: "t", environments: ["staging"], access: "read", expiresInDays: 0 }, "expiresInDays"],
      [
        { name: "t", environments: ["staging"], access: "read", allowedCidrs: ["10.0.0.0/33"] },
        "allowedCidrs.0",
      ],
      [{ name: "t\u0000", environments: ["staging"], access: "read" }, "name"],
    ];
    for (const [body, field] of cases) {
      const answer = await create(admin, body);
      expect(answer.status, `${JSON.stringify(body)}: ${answer.body}`).toBe(422);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      const p = problem(answer.body);
      expect(p.code).toBe("validation");
      expect(Object.keys(p.errors ?? {}), JSON.stringify(body)).toContain(field);
    }
    const tooLarge = await create(admin, JSON.stringify({ name: "x".repeat(70_000) }));
    expect(tooLarge.status).toBe(413);
    expect(problem(tooLarge.body).code).toBe("too_large");
    // Sent without a length (chunked), a body over the limit is refused as it arrives, never held whole.
    const chunked = await fetch(`${admin.baseUrl}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie: admin.cookieHeader(), origin: admin.baseUrl, "content-type": "application/json" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"name":"'));
          for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as Problem).code).toBe("too_large");
    expect((await admin.request("/api/v1/tokens")).body).toBe(before);
  });

  it("keeps organizations apart: B's admin cannot revoke or list A's token, and A's token reads only A", async () => {
    const made = await create(admin, {
      name: "a only",
      environments: ["staging"],
      access: "read",
      expiresInDays: 1,
    });
    const { id, token } = JSON.parse(made.body) as { id: string; token: string };
    // B's admin names A's token: in their own organization there is none; in A's they are not a member.
    expect((await otherAdmin.request(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(404);
    const named = await otherAdmin.request(`/api/v1/tokens/${id}?org=${a.slug}`, { method: "DELETE" });
    expect(named.status).toBe(403);
    expect((await otherAdmin.request(`/api/v1/tokens?org=${a.slug}`)).status).toBe(403);
    expect((await otherAdmin.request("/api/v1/tokens")).body).not.toContain(id);
    const reads = await read(token, "staging");
    expect(reads.status).toBe(200);
    expect(reads.body).toContain(aKey);
    expect(reads.body).not.toContain(bKey);
    // An id that is not one is not found, never a database error.
    expect((await admin.request("/api/v1/tokens/not-a-uuid", { method: "DELETE" })).status).toBe(404);
  });

  it("refuses a token from outside its address ranges (the socket's address), and once it has expired", async () => {
    const made = async (allowedCidrs: string[]) => {
      const answer = await create(admin, {
        name: "ranged",
        environments: ["staging"],
        access: "read",
        expiresInDays: 1,
        allowedCidrs,
      });
      expect(answer.status, answer.body).toBe(201);
      return JSON.parse(answer.body) as { id: string; token: string };
    };
    const elsewhere = await made(["10.20.0.0/16"]);
    const outside = await read(elsewhere.token, "staging");
    expect([outside.status, problem(outside.body).code]).toEqual([403, "forbidden"]);
    expect(outside.body).not.toContain("a-staging");
    // A client cannot claim another address: X-Forwarded-For is believed only from a trusted proxy (none here).
    const claimed = await HttpSession.anonymous().request("/api/v1/environments/staging/values", {
      headers: { authorization: `Bearer ${elsewhere.token}`, "x-forwarded-for": "10.20.1.1" },
    });
    expect(claimed.status).toBe(403);
    const here = await made(["127.0.0.0/8", "::1/128"]);
    expect((await read(here.token, "staging")).status).toBe(200);

    const s = rawSql("super");
    try {
      await s`update service_tokens set expires_at = now() - interval '1 second' where id = ${here.id}`;
    } finally {
      await s.end();
    }
    const expired = await read(here.token, "staging");
    expect([expired.status, problem(expired.body).code]).toEqual([401, "token_expired"]);
  });

  it("serves the OpenAPI 3.1 document to anyone, naming the token endpoints", async () => {
    const answer = await HttpSession.anonymous().request("/api/v1/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = JSON.parse(answer.body) as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/tokens", "/api/v1/environments/{name}/values/{key}"]),
    );
  });
});
