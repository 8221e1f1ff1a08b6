import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMPTY_ALLOWLIST, parseAllowlist } from "@/lib/net/outbound-policy";
import { httpTarget } from "@/lib/targets/http-target";
import { TargetError } from "@/lib/targets/types";
import { type Receiver, startReceiver } from "@/scripts/target-receiver.mts";

/**
 * SSRF: with no allowlist, an HTTP target on this machine (or anything private) is never contacted, however
 * its address is spelled or resolved, and the answer is the same as for a closed port or a host that does not
 * answer. Every server here counts the TCP connections it accepts: they must stay at 0.
 */
const SECRET = "ssrf-test-secret-0123456789-abcdef";
const dir = mkdtempSync(join(tmpdir(), "ringbearer-ssrf-"));
let receiver: Receiver;
let requests = 0;
let listener: Server;
let connections = 0;
let port: number;
let closedPort: number;

const listen = (server: Server, host: string) =>
  new Promise<number>((done) => server.listen(0, host, () => done((server.address() as AddressInfo).port)));

beforeAll(async () => {
  // A real receiver on loopback (both stacks), counting the requests it serves.
  receiver = await startReceiver({
    port: 0,
    host: "::",
    file: join(dir, "deployed.env"),
    secret: SECRET,
    log: () => {
      requests += 1;
    },
  });
  port = receiver.port;
  listener = createServer((_req, res) => res.end("{}"));
  listener.on("connection", () => {
    connections += 1;
  });
  await listen(listener, "::");
  // A port that was just free: nothing listens there.
  const probe = createServer();
  closedPort = await listen(probe, "127.0.0.1");
  await new Promise((done) => probe.close(done));
});

afterAll(async () => {
  await receiver.close();
  await new Promise((done) => listener.close(done));
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

/** Every way the console talks to a target: test and scan (state), adopt (values), push and rollback (apply). */
const calls = (target: ReturnType<typeof httpTarget>) => [
  () => target.state(),
  () => target.values(["A"]),
  () => target.apply({ set: { A: "a-value" }, delete: [] }),
];

describe("HTTP targets and the outbound policy", () => {
  const spellings = () => [
    [`http://127.0.0.1:${port}/`, `127.0.0.1:${port}`],
    [`http://127.0.0.2:${port}`, `127.0.0.2:${port}`],
    [`http://localhost:${port}/`, `localhost:${port}`],
    [`http://LocalHost.:${port}/`, `localhost.:${port}`],
    [`http://[::1]:${port}/`, `[::1]:${port}`],
    [`http://2130706433:${port}/`, `127.0.0.1:${port}`],
    [`http://0x7f.1:${port}/`, `127.0.0.1:${port}`],
    [`http://017700000001:${port}/`, `127.0.0.1:${port}`],
    [`http://127.1:${port}/`, `127.0.0.1:${port}`],
    [`http://[::ffff:127.0.0.1]:${port}/`, `[::ffff:7f00:1]:${port}`],
    [`http://0.0.0.0:${port}/`, `0.0.0.0:${port}`],
  ];

  it("never reaches a receiver on this machine without an allowlist, however its address is spelled", async () => {
    for (const [url, where] of spellings()) {
      const target = httpTarget({ url, secret: SECRET, allow: EMPTY_ALLOWLIST });
      for (const call of calls(target)) {
        expect(await failure(call())).toMatchObject({
          code: "unreachable",
          message: `Could not connect to ${where}`,
        });
      }
    }
    expect(requests).toBe(0);
  });

  it("is the default: a target built without an allowlist refuses loopback", async () => {
    const error = await failure(httpTarget({ url: `http://127.0.0.1:${port}`, secret: SECRET }).state());
    expect(error.message).toBe(`Could not connect to 127.0.0.1:${port}`);
    expect(requests).toBe(0);
  });

  it("checks the address a name resolves to when it connects, not the name", async () => {
    const resolvesTo =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    for (const resolve of [
      resolvesTo("127.0.0.1"),
      resolvesTo("::1"),
      resolvesTo("::ffff:127.0.0.1"),
      // One public and one private answer: a second connection could pick the private one.
      resolvesTo("93.184.216.34", "127.0.0.1"),
    ]) {
      const target = httpTarget({
        url: `http://deploy.example:${port}/`,
        secret: SECRET,
        allow: EMPTY_ALLOWLIST,
        resolve,
      });
      expect(await failure(target.state())).toMatchObject({
        code: "unreachable",
        message: `Could not connect to deploy.example:${port}`,
      });
    }
    expect(requests).toBe(0);
    // Allowed by name, the connection goes to the address that was checked (the name itself resolves nowhere).
    const pinned = httpTarget({
      url: `http://deploy.example:${port}/`,
      secret: SECRET,
      allow: parseAllowlist("deploy.example"),
      resolve: resolvesTo("127.0.0.1"),
    });
    expect(await pinned.state()).toEqual(new Map());
    expect(requests).toBe(1);
  });

  it("never hands a private literal to an injected transport either", async () => {
    let sent = 0;
    const transport: typeof fetch = async () => {
      sent += 1;
      return new Response("{}");
    };
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00::1]/",
      "http://10.0.0.5:4400",
    ]) {
      const error = await failure(httpTarget({ url, secret: SECRET, fetch: transport }).state());
      const { hostname, port: given } = new URL(url);
      expect(error.message).toBe(`Could not connect to ${hostname}:${given || "80"}`);
    }
    expect(sent).toBe(0);
  });

  it("answers a refused address, a closed port and a host that never answers alike", async () => {
    const loopback = parseAllowlist("127.0.0.1");
    const closed = await failure(
      httpTarget({ url: `http://127.0.0.1:${closedPort}`, secret: SECRET, allow: loopback }).state(),
    );
    expect(closed).toMatchObject({
      code: "unreachable",
      message: `Could not connect to 127.0.0.1:${closedPort}`,
    });
    const silent = await failure(
      httpTarget({
        url: `http://filtered.example:${closedPort}`,
        secret: SECRET,
        timeoutMs: 200,
        resolve: () => new Promise(() => {}), // never answers, as a filtered port never does
      }).state(),
    );
    expect(silent).toMatchObject({
      code: "unreachable",
      message: `Could not connect to filtered.example:${closedPort}`,
    });
    const unknown = await failure(
      httpTarget({
        url: `http://nowhere.example:${closedPort}`,
        secret: SECRET,
        resolve: async () => {
          throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.example"), { code: "ENOTFOUND" });
        },
      }).state(),
    );
    expect(unknown).toMatchObject({
      code: "unreachable",
      message: `Could not connect to nowhere.example:${closedPort}`,
    });
  });

  it("works through the allowlist, and does not follow a redirect to another host", async () => {
    const allow = parseAllowlist("127.0.0.1,::1");
    for (const url of [`http://127.0.0.1:${port}`, `http://[::1]:${port}/`]) {
      expect(await httpTarget({ url, secret: SECRET, allow }).state()).toEqual(new Map());
    }
    const before = connections;
    const redirecting = createServer((_req, res) =>
      res
        .writeHead(302, { location: `http://[::1]:${(listener.address() as AddressInfo).port}/v1/state` })
        .end(),
    );
    const redirectPort = await listen(redirecting, "127.0.0.1");
    const error = await failure(
      httpTarget({
        url: `http://127.0.0.1:${redirectPort}`,
        secret: SECRET,
        allow,
      }).apply({ set: { A: "secret-value" }, delete: [] }),
    );
    expect(error).toMatchObject({
      code: "refused",
      message: "The target answered with a redirect (HTTP 302); redirects are not followed",
    });
    expect(connections).toBe(before);
    await new Promise((done) => redirecting.close(done));
  });
});
