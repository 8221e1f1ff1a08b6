import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/environments/[name]/values/route";
import { withContext } from "@/db/context";
import { organizationValueVersion } from "@/db/repos/value-versions";
import { serviceTokenInput } from "@/lib/validation/tokens";
import { parseInput } from "@/server/entry/input";
import { type LiveEvent, subscribe } from "@/server/live";
import { cachedRead } from "@/server/tokens/read-cache";
import { createServiceToken } from "@/server/tokens/service-tokens";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, rawSql, type TestOrg } from "./support";

/**
 * The per-instance cache of machine reads (issue 14, fast reads): a repeated read is answered from memory, and
 * never once anything it is made of changed — whoever changed it, on whichever instance.
 */
let org: TestOrg;
const ids: Record<string, string> = {};
const superSql = rawSql("super");
afterAll(() => superSql.end());

async function setVar(name: string, value: string) {
  await withContext(org.owner, async (tx) => {
    const v = await createVariable(tx, org.owner, {
      name,
      variableType: "configuration",
      securityClassification: "internal",
      isRequired: false,
      isWeddingCritical: false,
      tags: [],
    });
    ids[name] = v.id;
    await setValue(tx, org.owner, {
      variableId: v.id,
      environmentId: org.env.staging,
      value,
      expectedVersion: 0,
    });
  });
}

const newToken = async (input: Record<string, unknown> = {}) =>
  withContext(org.owner, async (tx) =>
    createServiceToken(
      tx,
      org.owner,
      await parseInput(serviceTokenInput, {
        name: "CI",
        access: "read",
        environments: ["staging"],
        ...input,
      }),
    ),
  );

async function read(bearer: string) {
  const response = await GET(
    new Request("http://console.test/api/v1/environments/staging/values", {
      headers: { authorization: `Bearer ${bearer}` },
    }),
    { params: Promise.resolve({ name: "staging" }) },
  );
  expect(response.status).toBe(200);
  return JSON.parse(await response.text()) as Record<string, string>;
}

const version = () => withContext(org.owner, (tx) => organizationValueVersion(tx, org.id));
const keyAt = (valueVersion: number, namePrefix: string | null = null) => ({
  organizationId: org.id,
  environmentId: org.env.staging,
  valueVersion,
  format: "json",
  namePrefix,
  tag: null,
});

beforeAll(async () => {
  org = await makeOrg();
  await setVar("APP_MODE", "blue");
  await setVar("APP_REGION", "eu-west-2");
  await setVar("MAIL_FROM", "hello@example.test");
});

describe("the read cache", () => {
  it("answers a repeated read from memory, each read still audited, and never after a change, whoever made it", async () => {
    const { token, id } = await newToken();
    const first = await read(token);
    expect(first).toEqual({ APP_MODE: "blue", APP_REGION: "eu-west-2", MAIL_FROM: "hello@example.test" });
    const at = await version();
    expect(cachedRead(keyAt(at))?.count).toBe(3);
    expect(await read(token)).toEqual(first);

    // A value set through the console.
    await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId: ids.APP_MODE,
        environmentId: org.env.staging,
        value: "green",
        expectedVersion: 1,
      }),
    );
    expect(await version()).toBeGreaterThan(at);
    expect((await read(token)).APP_MODE).toBe("green");

    // Statements outside this process (another instance, an operator): a rename, then a deletion.
    await superSql`update environment_variables set name = 'APP_COLOUR' where id = ${ids.APP_MODE}`;
    const renamed = await read(token);
    expect(renamed.APP_COLOUR).toBe("green");
    expect(renamed).not.toHaveProperty("APP_MODE");
    await superSql`update environment_variables set deleted_at = now() where id = ${ids.APP_REGION}`;
    expect(await read(token)).toEqual({ APP_COLOUR: "green", MAIL_FROM: "hello@example.test" });

    const [{ n }] = await superSql`select count(*)::int as n from environment_variable_audit
      where resource_type = 'service_token' and resource_id = ${id} and action = 'read'`;
    expect(n).toBe(5);
  });

  it("never gives a token narrowed to a prefix the answer a wider token was given", async () => {
    const { token: wide } = await newToken();
    const { token: narrow } = await newToken({ namePrefix: "MAIL_" });
    expect(Object.keys(await read(wide)).length).toBeGreaterThan(1);
    expect(await read(narrow)).toEqual({ MAIL_FROM: "hello@example.test" });
    expect(cachedRead(keyAt(await version(), "MAIL_"))?.count).toBe(1);
  });

  it("is dropped on every instance within a second of a change (LISTEN/NOTIFY), and reads wake no console", async () => {
    const { token } = await newToken();
    const events: LiveEvent[] = [];
    const stop = subscribe((event) => {
      if (event.org === org.id) events.push(event);
    });
    try {
      // Whatever was announced before (the token's creation) has arrived.
      await new Promise((r) => setTimeout(r, 300));
      events.length = 0;
      await read(token);
      const at = await version();
      expect(cachedRead(keyAt(at))).toBeDefined();
      await new Promise((r) => setTimeout(r, 300));
      // A token's read is audited but announces nothing: open consoles do not refresh for it.
      expect(events.map((e) => e.kind)).toEqual([]);
      await withContext(org.owner, (tx) =>
        setValue(tx, org.owner, {
          variableId: ids.MAIL_FROM,
          environmentId: org.env.staging,
          value: "bonjour@example.test",
          expectedVersion: 1,
        }),
      );
      const deadline = Date.now() + 1_000;
      while (cachedRead(keyAt(at)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(cachedRead(keyAt(at))).toBeUndefined();
      expect(events.map((e) => e.kind)).toContain("values");
    } finally {
      stop();
    }
  });

  it("counts a request against the token's minute while it runs: one over the limit is 429, audited and counted nowhere", async () => {
    const before = process.env.RINGBEARER_TOKEN_RATE_LIMIT;
    process.env.RINGBEARER_TOKEN_RATE_LIMIT = "2";
    try {
      const { token, id } = await newToken();
      await read(token);
      await read(token);
      const over = await GET(
        new Request("http://console.test/api/v1/environments/staging/values", {
          headers: { authorization: `Bearer ${token}` },
        }),
        { params: Promise.resolve({ name: "staging" }) },
      );
      expect(over.status).toBe(429);
      expect(await over.text()).not.toContain("hello@example.test");
      const [row] =
        await superSql`select use_count::int as uses, (select count(*)::int from environment_variable_audit
        where resource_type = 'service_token' and resource_id = ${id} and action = 'read') as audited from service_tokens where id = ${id}`;
      expect(row).toEqual({ uses: 2, audited: 2 });
    } finally {
      if (before === undefined) delete process.env.RINGBEARER_TOKEN_RATE_LIMIT;
      else process.env.RINGBEARER_TOKEN_RATE_LIMIT = before;
    }
  });
});
