/**
 * The consent runtime over HTTP (issue 15): `GET /api/v1/destinations?environment=&consent=` answers exactly the
 * enabled destinations whose consent is granted; a client token gets browser keys only and is refused every
 * values route; a server token gets the server secrets too; test mode shows; ETag/304; bad input is a 422;
 * another organization's token reaches nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withContext } from "@/db/context";
import { destinationCreation } from "@/lib/validation/destinations";
import { createDestination } from "@/server/destinations/destinations";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, PASSWORD, rawSql, type TestOrg } from "../db/support";
import { problem } from "./api-helpers";
import { HttpSession } from "./session";

type Runtime = {
  environment: string;
  consent: string[];
  destinations: { type: string; name: string; testMode: boolean; keys: Record<string, string> }[];
};

describe("the consent runtime API", () => {
  let a: TestOrg;
  let b: TestOrg;
  const tokens = {} as Record<"client" | "server" | "other", string>;

  const add = (org: TestOrg, raw: Record<string, unknown>) =>
    withContext(org.owner, async (tx) =>
      createDestination(tx, org.owner, await destinationCreation.parseAsync(raw)),
    );

  const mint = async (session: HttpSession, access: string, environments: string[]) => {
    const made = await session.request("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `runtime ${access}`, environments, access, expiresInDays: 1 }),
    });
    expect(made.status, made.body).toBe(201);
    return (JSON.parse(made.body) as { token: string }).token;
  };

  const get = (token: string, query: string, headers: Record<string, string> = {}) =>
    HttpSession.anonymous().request(`/api/v1/destinations${query}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  beforeAll(async () => {
    [a, b] = await Promise.all([makeOrg(), makeOrg()]);
    await add(a, {
      type: "posthog",
      environment: "staging",
      name: "Product analytics",
      requiredConsent: ["measurement"],
      enabled: "on",
      "secrets.apiKey": "phc_public_project_key",
    });
    await add(a, {
      type: "mixpanel",
      environment: "staging",
      name: "Funnels",
      requiredConsent: ["measurement", "experience"],
      enabled: "on",
      testMode: "on",
      "secrets.projectToken": "mp_public_token",
      "secrets.apiSecret": "mp_server_secret",
    });
    await add(a, {
      type: "meta-pixel",
      environment: "staging",
      name: "Ads",
      "settings.pixelId": "123456789",
      requiredConsent: ["marketing"],
      enabled: "on",
      "secrets.accessToken": "EAAB_server_only",
    });
    await add(a, { type: "console", environment: "staging", name: "Debug", requiredConsent: ["necessary"] });
    await add(b, {
      type: "posthog",
      environment: "staging",
      name: "B's",
      enabled: "on",
      "secrets.apiKey": "phc_b_key",
    });
    const admin = await HttpSession.signIn((await a.member("admin")).email, PASSWORD);
    const otherAdmin = await HttpSession.signIn((await b.member("admin")).email, PASSWORD);
    tokens.client = await mint(admin, "client", ["staging"]);
    tokens.server = await mint(admin, "read", ["staging"]);
    tokens.other = await mint(otherAdmin, "read", ["staging"]);
  }, 120_000);

  it("answers exactly the enabled destinations whose consent is granted", async () => {
    const none = await get(tokens.client, "?environment=staging");
    expect(none.status, none.body).toBe(200);
    // The console destination is not enabled; everything else needs more than `necessary`.
    expect((JSON.parse(none.body) as Runtime).destinations).toEqual([]);
    const measured = JSON.parse(
      (await get(tokens.client, "?environment=staging&consent=measurement")).body,
    ) as Runtime;
    expect(measured.destinations.map((d) => d.type)).toEqual(["posthog"]);
    const more = JSON.parse(
      (await get(tokens.client, "?environment=staging&consent=experience,measurement,marketing")).body,
    ) as Runtime;
    expect(more.destinations.map((d) => d.type)).toEqual(["meta-pixel", "mixpanel", "posthog"]);
    expect(more.destinations.find((d) => d.type === "mixpanel")?.testMode).toBe(true);
  });

  it("never gives a server secret to a client token; a server token gets them", async () => {
    const query = "?environment=staging&consent=measurement,experience,marketing";
    const client = await get(tokens.client, query);
    expect(client.body).not.toContain("mp_server_secret");
    expect(client.body).not.toContain("EAAB_server_only");
    const byType = (r: Runtime) => Object.fromEntries(r.destinations.map((d) => [d.type, d.keys]));
    expect(byType(JSON.parse(client.body) as Runtime)).toEqual({
      "meta-pixel": {},
      mixpanel: { projectToken: "mp_public_token" },
      posthog: { apiKey: "phc_public_project_key" },
    });
    const server = byType(JSON.parse((await get(tokens.server, query)).body) as Runtime);
    expect(server.mixpanel).toEqual({ projectToken: "mp_public_token", apiSecret: "mp_server_secret" });
    expect(server["meta-pixel"]).toEqual({ accessToken: "EAAB_server_only" });
  });

  it("refuses a client token every values route", async () => {
    for (const path of [
      "/api/v1/environments/staging/values",
      "/api/v1/environments/staging/values/POSTHOG_API_KEY",
      "/api/v1/variables",
    ]) {
      const answer = await HttpSession.anonymous().request(path, {
        headers: { authorization: `Bearer ${tokens.client}` },
      });
      expect(answer.status, path).toBe(403);
      expect(answer.body).not.toContain("phc_public_project_key");
    }
  });

  it("answers 304 to its own ETag until a destination changes", async () => {
    const first = await get(tokens.client, "?environment=staging&consent=measurement");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await get(tokens.client, "?environment=staging&consent=measurement", {
      "if-none-match": etag,
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    const otherConsent = await get(tokens.client, "?environment=staging&consent=measurement,marketing", {
      "if-none-match": etag,
    });
    expect(otherConsent.status).toBe(200);
  });

  it("answers bad input with a 422 and its field, and another organization's token reaches nothing of A", async () => {
    const bad = await get(tokens.client, "?environment=staging&consent=ads");
    expect(bad.status).toBe(422);
    expect(problem(bad).errors).toEqual({
      "consent.0": [expect.stringMatching(/^Consent is one of necessary, measurement/)],
    });
    const missing = await get(tokens.client, "");
    expect(missing.status).toBe(422);
    const production = await get(tokens.client, "?environment=production&consent=measurement");
    expect(production.status).toBe(403);
    const other = await get(tokens.other, "?environment=staging&consent=measurement,experience,marketing");
    expect(other.status).toBe(200);
    expect(other.body).toContain("phc_b_key");
    expect(other.body).not.toContain("phc_public_project_key");
    expect(other.body).not.toContain("Funnels");
  });

  it("gives a browser's token no key kept as a confidential value, and never resolves a reference for it", async () => {
    // The variable behind a browser key is made confidential after the fact, and another holds a reference.
    const sql = rawSql("super");
    try {
      await sql`update environment_variables set security_classification = 'confidential'
                 where organization_id = ${a.id} and name = 'MIXPANEL_PROJECT_TOKEN'`;
      await sql`update destinations set secret_variables = '{"apiKey": "POSTHOG_REF_KEY"}'::jsonb
                 where organization_id = ${a.id} and type = 'posthog'`;
    } finally {
      await sql.end();
    }
    await withContext(a.owner, async (tx) => {
      const v = await createVariable(tx, a.owner, {
        name: "POSTHOG_REF_KEY",
        variableType: "api_key",
        securityClassification: "internal",
        isRequired: false,
        isWeddingCritical: false,
        tags: [],
      });
      await setValue(tx, a.owner, {
        variableId: v.id,
        environmentId: a.env.staging,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a console reference is the point
        value: "${MIXPANEL_API_SECRET}",
        expectedVersion: 0,
      });
    });
    const query = "?environment=staging&consent=measurement,experience,marketing";
    const client = await get(tokens.client, query);
    expect(client.status, client.body).toBe(200);
    expect(client.body).not.toContain("mp_public_token");
    expect(client.body).not.toContain("mp_server_secret");
    const byType = Object.fromEntries(
      (JSON.parse(client.body) as Runtime).destinations.map((d) => [d.type, d.keys]),
    );
    expect(byType).toMatchObject({ mixpanel: {}, posthog: {} });
    // A server's token reads both, the reference resolved.
    const server = await get(tokens.server, query);
    expect(server.body).toContain("mp_public_token");
    const posthog = (JSON.parse(server.body) as Runtime).destinations.find((d) => d.type === "posthog");
    expect(posthog?.keys).toEqual({ apiKey: "mp_server_secret" });
  });
});
