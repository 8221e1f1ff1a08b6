import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { withContext } from "@/db/context";
import { AppError } from "@/lib/errors";
import { checkConnectivity } from "@/server/targets/connectivity";
import { setValue } from "@/server/values/values";
import { createVariable } from "@/server/variables/variables";
import { makeOrg, type TestOrg } from "./support";

/**
 * SSRF and probing (findings 8 and 17): with the operator's allowlist empty, the connectivity check of a
 * database URL reaches nothing on this machine or a private network and says only "Could not connect", as it
 * does for a closed port; each user has 10 checks per 15 minutes. The local listener counts connections.
 */
const TEST_ALLOWLIST = process.env.RINGBEARER_OUTBOUND_ALLOW;
const withoutAllowlist = () => {
  process.env.RINGBEARER_OUTBOUND_ALLOW = "";
};
afterEach(() => {
  process.env.RINGBEARER_OUTBOUND_ALLOW = TEST_ALLOWLIST;
});

let org: TestOrg;
let listener: Server;
let connections = 0;
let listenerPort: number;

beforeAll(async () => {
  org = await makeOrg();
  listener = createServer((socket) => {
    connections += 1;
    socket.end();
  });
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  listenerPort = (listener.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((done) => listener.close(done));
});

describe("the connectivity check under the outbound policy", () => {
  let variableId: string;
  const databaseUrl = () => new URL(inject("databaseUrl"));

  beforeAll(async () => {
    variableId = (
      await withContext(org.owner, (tx) =>
        createVariable(tx, org.owner, {
          name: "REPORTING_DATABASE_URL",
          variableType: "database_url",
          securityClassification: "internal",
          isRequired: false,
          isWeddingCritical: false,
          tags: [],
        }),
      )
    ).id;
  });

  let version = 0;
  /** Stores `url` in development and checks it as `who` (a fresh admin by default: each has 10 checks). */
  const check = async (url: string, who?: Awaited<ReturnType<TestOrg["member"]>>) => {
    const written = await withContext(org.owner, (tx) =>
      setValue(tx, org.owner, {
        variableId,
        environmentId: org.env.development,
        value: url,
        expectedVersion: version,
      }),
    );
    if (written.status !== "applied") throw new Error("development values apply at once");
    version = written.version;
    const ctx = who ?? (await org.member("admin"));
    return checkConnectivity(ctx, { variableId, environmentId: org.env.development }, { timeoutMs: 400 });
  };

  it("never reaches this machine's PostgreSQL or a local port, and answers like a closed port", async () => {
    withoutAllowlist();
    const pg = databaseUrl();
    const local = (host: string) => {
      const url = new URL(pg);
      url.hostname = host;
      return url.toString();
    };
    for (const url of [
      pg.toString(),
      local("localhost"),
      local("[::1]"),
      local("2130706433"),
      local("[::ffff:127.0.0.1]"),
      `postgres://app:pw@127.0.0.1:${listenerPort}/db`,
      `mysql://app:pw@127.0.0.1:${listenerPort}/db`,
      `redis://localhost:${listenerPort}`,
    ]) {
      expect(await check(url), url).toMatchObject({ status: "failed", message: "Could not connect" });
    }
    expect(connections).toBe(0);

    // A closed port on an allowed host gives the same answer, after the same wait.
    process.env.RINGBEARER_OUTBOUND_ALLOW = TEST_ALLOWLIST;
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const closedPort = (probe.address() as { port: number }).port;
    await new Promise((done) => probe.close(done));
    const closed = await check(`postgres://app:pw@127.0.0.1:${closedPort}/db`);
    expect(closed).toMatchObject({ status: "failed", message: "Could not connect" });
    expect(closed.ms).toBeGreaterThanOrEqual(390);
  });

  it("works through the allowlist", async () => {
    expect(await check(inject("databaseUrl"))).toMatchObject({ status: "passed" });
    expect(await check(`mysql://app:pw@127.0.0.1:${listenerPort}/db`)).toMatchObject({ status: "passed" });
    expect(connections).toBe(1);
  });

  it("is limited to 10 checks per user in 15 minutes, every attempt counted", async () => {
    const developer = await org.member("developer");
    for (let i = 0; i < 10; i++) {
      expect(await check(`redis://127.0.0.1:${listenerPort}`, developer)).toMatchObject({ status: "passed" });
    }
    await expect(check(`redis://127.0.0.1:${listenerPort}`, developer)).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "rate_limited" && e.status === 429,
    );
    // Another user is not affected.
    expect(await check(`redis://127.0.0.1:${listenerPort}`)).toMatchObject({ status: "passed" });
  });
});
