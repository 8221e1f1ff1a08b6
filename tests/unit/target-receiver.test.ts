// Longer than 300 lines: the reference receiver's whole protocol against one running receiver.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDotenv } from "@/lib/dotenv";
import { parseAllowlist } from "@/lib/net/outbound-policy";
import {
  deployedHash,
  MAX_BODY_BYTES,
  MAX_SKEW_MS,
  SIGNATURE_HEADER,
  type SignedRequestHeaders,
  signRequest,
  verifyResponse,
} from "@/lib/sync-protocol";
import { httpTarget } from "@/lib/targets/http-target";
import { TargetError } from "@/lib/targets/types";
import { type Receiver, startReceiver } from "@/scripts/target-receiver.mts";

const SECRET = "receiver-test-secret-0123456789";
/** The receivers here listen on loopback, which the outbound policy refuses unless allowlisted. */
const LOOPBACK = parseAllowlist("127.0.0.1,::1");
const dir = mkdtempSync(join(tmpdir(), "ringbearer-receiver-"));
const file = join(dir, "deployed.env");
const logs: string[] = [];
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver({ port: 0, file, secret: SECRET, log: (line) => logs.push(line) });
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = () => httpTarget({ url: receiver.url, secret: SECRET, allow: LOOPBACK });

/** Sends a request signed beforehand, as someone who captured it could, to `url` (the shared receiver's by default). */
async function resend(
  method: string,
  path: string,
  body: string,
  headers: SignedRequestHeaders,
  { url = receiver.url, now = Date.now() } = {},
) {
  const response = await fetch(`${url}${path}`, { method, headers, body: body || undefined });
  const text = await response.text();
  const signed = verifyResponse({
    secret: SECRET,
    status: response.status,
    requestSignature: headers[SIGNATURE_HEADER],
    body: text,
    headers: response.headers,
    now,
  });
  return { status: response.status, json: JSON.parse(text), signed: signed.ok };
}

/** A hand-signed request, for what the http driver would never send. */
async function raw(method: string, path: string, body = "", sign: { secret?: string; now?: number } = {}) {
  const headers = signRequest({ secret: sign.secret ?? SECRET, method, path, body, now: sign.now });
  return resend(method, path, body, headers);
}

const onDisk = (path = file) =>
  Object.fromEntries(parseDotenv(readFileSync(path, "utf8")).entries.map((e) => [e.key, e.value]));

async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe("receiver and http target together", () => {
  it("pushes, then reads the state and the values back", async () => {
    const values = {
      STRIPE_KEY: "sk_live_secret",
      PEM: "-----BEGIN-----\nline\n-----END-----",
      QUOTED: `a "b" $c`,
    };
    const pushed = await target().apply({ set: values, delete: [] });
    const hashes = new Map(Object.entries(values).map(([k, v]) => [k, deployedHash(SECRET, v)]));
    expect(pushed).toEqual(hashes);
    expect(await target().state()).toEqual(hashes);
    expect(await target().values(["PEM", "QUOTED", "MISSING"])).toEqual(
      new Map([
        ["PEM", values.PEM],
        ["QUOTED", values.QUOTED],
      ]),
    );
    expect(onDisk()).toEqual(values);
  });

  it("deletes, treating a key that is not there as done", async () => {
    await target().apply({ set: { GONE_SOON: "x" }, delete: [] });
    const after = await target().apply({ set: {}, delete: ["GONE_SOON", "NEVER_THERE"] });
    expect(after.has("GONE_SOON")).toBe(false);
    expect(await target().apply({ set: {}, delete: ["NEVER_THERE"] })).toEqual(after);
  });

  it("lands every one of many concurrent PUTs", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `CONCURRENT_${i}`);
    await Promise.all(names.map((name) => target().apply({ set: { [name]: name }, delete: [] })));
    const state = await target().state();
    for (const name of names) expect(state.get(name)).toBe(deployedHash(SECRET, name));
    expect(readdirSync(dir)).toEqual(["deployed.env"]);
  });

  it("reads the state many times at once without any request being taken for a replay", async () => {
    const states = await Promise.all(Array.from({ length: 20 }, () => target().state()));
    for (const state of states) expect(state).toEqual(states[0]);
  });

  it("says unauthorized when the secrets differ", async () => {
    const error = await failure(
      httpTarget({ url: receiver.url, secret: "a-different-secret-0000", allow: LOOPBACK }).state(),
    );
    expect(error).toMatchObject({
      code: "unauthorized",
      message: "The target refused our signature: check the shared secret",
    });
  });

  it("passes on the receiver's reason when it refuses a change", async () => {
    const error = await failure(target().apply({ set: { lower_case: "secret-value" }, delete: [] }));
    expect(error.code).toBe("refused");
    expect(error.message).toMatch(
      /^set\.lower_case: a \.env file holds only UPPER_SNAKE_CASE names \(HTTP 400 bad_request\)$/,
    );
  });

  it("says unreachable once the receiver is closed", async () => {
    const closing = await startReceiver({
      port: 0,
      file: join(dir, "other.env"),
      secret: SECRET,
      log: () => {},
    });
    await closing.close();
    const error = await failure(httpTarget({ url: closing.url, secret: SECRET, allow: LOOPBACK }).state());
    expect(error).toMatchObject({
      code: "unreachable",
      message: `Could not connect to 127.0.0.1:${closing.port}`,
    });
  });
});

describe("receiver answers", () => {
  it("401 to an unsigned, badly signed or stale request, still signed itself", async () => {
    const unsigned = await fetch(`${receiver.url}/v1/state`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: "bad_signature", message: "The request is not signed" });
    const wrong = await raw("GET", "/v1/state", "", { secret: "wrong-secret-wrong-secret" });
    expect(wrong).toMatchObject({ status: 401, signed: true, json: { error: "bad_signature" } });
    const stale = await raw("GET", "/v1/state", "", { now: Date.now() - 10 * 60_000 });
    expect(stale).toMatchObject({ status: 401, json: { message: expect.stringMatching(/clock/) } });
  });

  it("409 to a replayed PUT, which changes nothing: a later change is not undone", async () => {
    const body = JSON.stringify({ set: { FEATURE_FLAG: "old" }, delete: [] });
    const captured = signRequest({ secret: SECRET, method: "PUT", path: "/v1/state", body });
    expect(await resend("PUT", "/v1/state", body, captured)).toMatchObject({ status: 200, signed: true });
    await target().apply({ set: { FEATURE_FLAG: "new" }, delete: [] });
    expect(await resend("PUT", "/v1/state", body, captured)).toEqual({
      status: 409,
      signed: true,
      json: { error: "replayed", message: "This request was already received (a replay?)" },
    });
    expect(onDisk().FEATURE_FLAG).toBe("new");
  });

  it("400 to malformed JSON and to a body that does not fit, naming the problem", async () => {
    expect(await raw("PUT", "/v1/state", '{"set":{"A":"secret-value"')).toEqual({
      status: 400,
      signed: true,
      json: { error: "bad_request", message: "The body is not valid JSON" },
    });
    const badShape = await raw("PUT", "/v1/state", '{"set":{"A":42},"delete":[]}');
    expect(badShape).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^set\.A: /) } });
    const noKeys = await raw("POST", "/v1/values", '{"keys":[]}');
    expect(noKeys).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^keys: /) } });
  });

  it("404 and 405 to signed requests it has no route for", async () => {
    expect(await raw("GET", "/v2/state")).toMatchObject({
      status: 404,
      signed: true,
      json: { error: "not_found" },
    });
    expect(await raw("DELETE", "/v1/state")).toMatchObject({
      status: 405,
      json: { error: "method_not_allowed" },
    });
    expect(await raw("GET", "/v1/values")).toMatchObject({
      status: 405,
      json: { message: "/v1/values accepts POST" },
    });
  });

  it("413 to a declared body over the limit", async () => {
    const big = `{"set":{"A":"${"x".repeat(MAX_BODY_BYTES)}"},"delete":[]}`;
    expect(await raw("PUT", "/v1/state", big)).toMatchObject({
      status: 413,
      signed: true,
      json: { error: "too_large" },
    });
  });

  it("413 to a streamed body as soon as it goes over the limit", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${receiver.url}/v1/state`, { method: "PUT" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(1024 * 1024, "x");
      let sent = 0;
      const pump = () => {
        while (sent < 8) {
          sent += 1;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it("logs one JSON line per request, without values", async () => {
    const before = logs.length;
    await target().apply({ set: { LOGGED: "value-that-must-not-be-logged" }, delete: [] });
    await target().values(["LOGGED"]);
    const lines = logs.slice(before).map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ method: "PUT", path: "/v1/state", status: 200, ms: expect.any(Number) }),
      expect.objectContaining({ method: "POST", path: "/v1/values", status: 200 }),
    ]);
    expect(logs.join("\n")).not.toMatch(/value-that-must-not|secret-value|sk_live/);
  });
});

describe("receiver on a clock the test moves", () => {
  const T = 1767225600000;

  async function clocked(maxRemembered?: number, start = T) {
    const clock = { now: start };
    const path = join(dir, `clocked-${maxRemembered ?? "default"}.env`);
    const started = await startReceiver({
      port: 0,
      file: path,
      secret: SECRET,
      log: () => {},
      clock: () => clock.now,
      maxRemembered,
    });
    const put = (value: string, now = clock.now) => {
      const body = JSON.stringify({ set: { FLAG: value }, delete: [] });
      const headers = signRequest({ secret: SECRET, method: "PUT", path: "/v1/state", body, now });
      const send = (url = started.url) => resend("PUT", "/v1/state", body, headers, { url, now: clock.now });
      return { send };
    };
    return { clock, path, put, url: started.url, close: () => started.close() };
  }

  it("refuses a replay as a replay until the window ends, then as stale, and never applies it", async () => {
    const timed = await clocked();
    const captured = timed.put("old");
    expect(await captured.send()).toMatchObject({ status: 200 });
    timed.clock.now = T + 1000;
    expect(await timed.put("new").send()).toMatchObject({ status: 200 });
    timed.clock.now = T + MAX_SKEW_MS;
    expect(await captured.send()).toMatchObject({ status: 409, json: { error: "replayed" } });
    timed.clock.now = T + MAX_SKEW_MS + 1;
    expect(await captured.send()).toEqual({
      status: 401,
      signed: true,
      json: {
        error: "bad_signature",
        message: "The request's timestamp is more than 5 minutes from the receiver's clock",
      },
    });
    expect(onDisk(timed.path)).toEqual({ FLAG: "new" });
    await timed.close();
  });

  it("after a restart, refuses a request captured before it, though it no longer remembers it", async () => {
    const before = await clocked();
    const captured = before.put("captured");
    expect(await captured.send()).toMatchObject({ status: 200 });
    await before.close();
    const restarted = await clocked(undefined, T + 1000);
    expect(await restarted.put("fresh").send()).toMatchObject({ status: 200 });
    expect(await captured.send(restarted.url)).toMatchObject({
      status: 409,
      json: { error: "replayed", message: expect.stringContaining("signed before the receiver started") },
    });
    expect(onDisk(restarted.path)).toEqual({ FLAG: "fresh" });
    await restarted.close();
  });

  it("503 when it remembers too many recent requests, serving again once they expire", async () => {
    const timed = await clocked(2);
    const first = timed.put("1");
    expect(await first.send()).toMatchObject({ status: 200 });
    expect(await timed.put("2").send()).toMatchObject({ status: 200 });
    expect(await timed.put("3").send()).toMatchObject({
      status: 503,
      signed: true,
      json: { error: "busy" },
    });
    expect(await first.send()).toMatchObject({ status: 409 });
    expect(onDisk(timed.path)).toEqual({ FLAG: "2" });
    timed.clock.now = T + MAX_SKEW_MS + 1;
    expect(await timed.put("4").send()).toMatchObject({ status: 200 });
    expect(onDisk(timed.path)).toEqual({ FLAG: "4" });
    await timed.close();
  });
});
