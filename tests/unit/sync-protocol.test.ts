import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ApplyRequest,
  deployedHash,
  describeIssues,
  MAX_SKEW_MS,
  NONCE_HEADER,
  SIGNATURE_HEADER,
  StateResponse,
  signRequest,
  signResponse,
  TIMESTAMP_HEADER,
  ValuesRequest,
  verifyRequest,
  verifyResponse,
} from "@/lib/sync-protocol";

/** The worked example of docs/sync-protocol.md: keep the two in step. */
const EXAMPLE = {
  secret: "rb_example_secret_0123456789abcdef",
  method: "PUT",
  path: "/v1/state",
  body: '{"set":{"STRIPE_KEY":"sk_test_123"},"delete":["OLD_KEY"]}',
  now: 1767225600000,
  nonce: "00112233445566778899aabbccddeeff",
};
const EXAMPLE_BODY_SHA256 = "8748c4a2be4dbc13e5f1644cf0ab5083fb11ead0f9edb2930127085a57e19dae";
const EXAMPLE_SIGNATURE = "v1=9b1e06427280fb5c37b3ea65d889ece1b6e7b4e1c192411ae00023fec43770ca";
const EXAMPLE_DEPLOYED_HASH = "6b3c3f7c7e586dc0dae8398df649b8c553592929a21eaa9173fab7ceb6d7d7af";
const EXAMPLE_RESPONSE_BODY = `{"keys":{"STRIPE_KEY":"${EXAMPLE_DEPLOYED_HASH}"}}`;
const EXAMPLE_RESPONSE_SIGNATURE = "v1=4f409b1db5b04c5d38c9a9100975bd4cfc2b16314d68a0891266d655d8520b0f";

const signedExample = () => signRequest(EXAMPLE);

describe("deployedHash", () => {
  it("is HMAC-SHA256 under the secret of the prefixed value, in lower-case hex", () => {
    const byHand = createHmac("sha256", EXAMPLE.secret)
      .update("ringbearer:deployed:v1\nsk_test_123")
      .digest("hex");
    expect(byHand).toBe(EXAMPLE_DEPLOYED_HASH);
    expect(deployedHash(EXAMPLE.secret, "sk_test_123")).toBe(EXAMPLE_DEPLOYED_HASH);
  });

  it("differs per secret and per value, so hashes from two targets cannot be compared", () => {
    const a = deployedHash("secret-a-0123456789", "same value");
    expect(deployedHash("secret-b-0123456789", "same value")).not.toBe(a);
    expect(deployedHash("secret-a-0123456789", "same value ")).not.toBe(a);
    expect(deployedHash("secret-a-0123456789", "same value")).toBe(a);
  });
});

describe("request signatures", () => {
  it("match the pinned vector computed by hand", () => {
    const bodyHash = createHash("sha256").update(EXAMPLE.body).digest("hex");
    expect(bodyHash).toBe(EXAMPLE_BODY_SHA256);
    const byHand = createHmac("sha256", EXAMPLE.secret)
      .update(`v1\nPUT\n/v1/state\n1767225600000\n${EXAMPLE.nonce}\n${bodyHash}`)
      .digest("hex");
    expect(`v1=${byHand}`).toBe(EXAMPLE_SIGNATURE);
    expect(signedExample()).toEqual({
      [TIMESTAMP_HEADER]: "1767225600000",
      [SIGNATURE_HEADER]: EXAMPLE_SIGNATURE,
      [NONCE_HEADER]: EXAMPLE.nonce,
    });
  });

  it("carry a fresh nonce, so the same request twice in one millisecond is signed differently", () => {
    const { nonce: _, ...sameRequest } = EXAMPLE;
    const first = signRequest(sameRequest);
    const second = signRequest(sameRequest);
    expect(first[NONCE_HEADER]).toMatch(/^[0-9a-f]{32}$/);
    expect(second[NONCE_HEADER]).not.toBe(first[NONCE_HEADER]);
    expect(second[SIGNATURE_HEADER]).not.toBe(first[SIGNATURE_HEADER]);
    for (const headers of [first, second])
      expect(verifyRequest({ ...EXAMPLE, headers })).toEqual({ ok: true });
  });

  it("round-trip, with plain-record or fetch Headers, within the skew window either way", () => {
    const headers = signedExample();
    expect(verifyRequest({ ...EXAMPLE, headers })).toEqual({ ok: true });
    expect(verifyRequest({ ...EXAMPLE, headers: new Headers(headers) })).toEqual({ ok: true });
    for (const now of [EXAMPLE.now + MAX_SKEW_MS, EXAMPLE.now - MAX_SKEW_MS]) {
      expect(verifyRequest({ ...EXAMPLE, headers, now })).toEqual({ ok: true });
    }
  });

  it("treat a missing body as the empty string and the method case-insensitively", () => {
    const headers = signRequest({ secret: "s3cret-s3cret-s3cret", method: "get", path: "/v1/state" });
    expect(
      verifyRequest({ secret: "s3cret-s3cret-s3cret", method: "GET", path: "/v1/state", body: "", headers }),
    ).toEqual({ ok: true });
  });

  it.each([
    ["method", { method: "POST" }],
    ["path", { path: "/v1/values" }],
    ["query string", { path: "/v1/state?x=1" }],
    ["body", { body: EXAMPLE.body.replace("sk_test_123", "sk_test_124") }],
    ["secret", { secret: "another secret entirely" }],
  ])("fail when the %s changes", (_, change) => {
    expect(verifyRequest({ ...EXAMPLE, ...change, headers: signedExample() })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("fail when the timestamp or the nonce is changed, even to a fresh one", () => {
    for (const change of [
      { [TIMESTAMP_HEADER]: String(EXAMPLE.now + 1) },
      { [NONCE_HEADER]: "ffeeddccbbaa99887766554433221100" },
    ]) {
      const headers = { ...signedExample(), ...change };
      expect(verifyRequest({ ...EXAMPLE, headers })).toEqual({ ok: false, reason: "mismatch" });
    }
  });

  it("are stale outside the skew window, in the past or the future", () => {
    const headers = signedExample();
    for (const now of [EXAMPLE.now + MAX_SKEW_MS + 1, EXAMPLE.now - MAX_SKEW_MS - 1]) {
      expect(verifyRequest({ ...EXAMPLE, headers, now })).toEqual({ ok: false, reason: "stale" });
    }
  });

  it("are missing without all three headers, or with a timestamp or nonce in another shape", () => {
    const headers = signedExample();
    const { [NONCE_HEADER]: _, ...noNonce } = headers;
    const cases = [
      {},
      { [TIMESTAMP_HEADER]: headers[TIMESTAMP_HEADER], [NONCE_HEADER]: EXAMPLE.nonce },
      { [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER], [NONCE_HEADER]: EXAMPLE.nonce },
      noNonce,
      { ...headers, [TIMESTAMP_HEADER]: "1.7e12" },
      { ...headers, [NONCE_HEADER]: EXAMPLE.nonce.toUpperCase() },
      { ...headers, [NONCE_HEADER]: "0011" },
    ];
    for (const h of cases)
      expect(verifyRequest({ ...EXAMPLE, headers: h })).toEqual({ ok: false, reason: "missing" });
  });

  it("refuse a signature in another shape, even when its first 64 hex digits are right", () => {
    const headers = signedExample();
    const good = headers[SIGNATURE_HEADER];
    for (const signature of [
      `${good}0`,
      `${good}z`,
      good.slice(3),
      good.toUpperCase(),
      `v2=${good.slice(3)}`,
    ]) {
      const h = { ...headers, [SIGNATURE_HEADER]: signature };
      expect(verifyRequest({ ...EXAMPLE, headers: h })).toEqual({ ok: false, reason: "mismatch" });
    }
  });
});

describe("response signatures", () => {
  const response = {
    secret: EXAMPLE.secret,
    status: 200,
    requestSignature: EXAMPLE_SIGNATURE,
    body: EXAMPLE_RESPONSE_BODY,
    now: EXAMPLE.now + 42,
  };

  it("match the pinned vector computed by hand, and round-trip", () => {
    const bodyHash = createHash("sha256").update(EXAMPLE_RESPONSE_BODY).digest("hex");
    const byHand = createHmac("sha256", EXAMPLE.secret)
      .update(`v1\nRESPONSE\n200\n1767225600042\n${EXAMPLE_SIGNATURE}\n${bodyHash}`)
      .digest("hex");
    expect(`v1=${byHand}`).toBe(EXAMPLE_RESPONSE_SIGNATURE);
    const headers = signResponse(response);
    expect(headers[SIGNATURE_HEADER]).toBe(EXAMPLE_RESPONSE_SIGNATURE);
    expect(verifyResponse({ ...response, headers })).toEqual({ ok: true });
  });

  it("bind the request answered: an answer recorded for one request does not verify for another", () => {
    const headers = signResponse(response);
    const another = signRequest({ ...EXAMPLE, nonce: undefined })[SIGNATURE_HEADER];
    for (const requestSignature of [another, ""]) {
      expect(verifyResponse({ ...response, requestSignature, headers })).toEqual({
        ok: false,
        reason: "mismatch",
      });
    }
  });

  it("bind the status and body, and a request's signature cannot pass for one", () => {
    const headers = signResponse(response);
    expect(verifyResponse({ ...response, status: 201, headers })).toMatchObject({ reason: "mismatch" });
    expect(verifyResponse({ ...response, body: "{}", headers })).toMatchObject({ reason: "mismatch" });
    expect(verifyResponse({ ...response, headers, now: response.now + MAX_SKEW_MS + 1 })).toMatchObject({
      reason: "stale",
    });
    const requestHeaders = signRequest({ ...EXAMPLE, now: response.now, body: response.body });
    expect(verifyResponse({ ...response, headers: requestHeaders })).toMatchObject({ reason: "mismatch" });
  });
});

describe("body schemas", () => {
  it("accept a well-formed change and name the problems of a bad one without quoting values", () => {
    expect(ApplyRequest.safeParse({ set: { A_1: "x", _b: "" }, delete: ["C"] }).success).toBe(true);
    const bad = ApplyRequest.safeParse({
      set: { "bad-name": "secret-one", OK: "x".repeat(64 * 1024 + 1), BOTH: "secret-two" },
      delete: ["BOTH", "1X"],
    });
    expect(bad.success).toBe(false);
    const message = bad.error ? describeIssues(bad.error) : "";
    expect(message).toMatch(/set\.bad-name: not a variable name/);
    expect(message).toMatch(/set\.OK: longer than 64 KiB/);
    expect(message).toMatch(/delete\.1: not a variable name/);
    expect(message).not.toMatch(/secret|xxxx/);
  });

  it("name at most three problems, then count the rest", () => {
    const bad = ValuesRequest.safeParse({ keys: ["1A", "2B", "3C", "4D", "5E"] });
    expect(bad.error && describeIssues(bad.error)).toMatch(
      /^keys\.0: .*; keys\.1: .*; keys\.2: .* \(and 2 more\)$/,
    );
  });

  it("refuse a name both set and deleted, and __proto__ (it would vanish from a record)", () => {
    const both = ApplyRequest.safeParse({ set: { A: "1" }, delete: ["A"] });
    expect(both.error && describeIssues(both.error)).toBe("delete.A: also in set");
    const proto = ApplyRequest.safeParse(JSON.parse('{"set":{"__proto__":"x"},"delete":[]}'));
    expect(proto.error && describeIssues(proto.error)).toMatch(/set.__proto__: a reserved name/);
  });

  it("limit the number of names", () => {
    expect(ValuesRequest.safeParse({ keys: [] }).success).toBe(false);
    expect(ValuesRequest.safeParse({ keys: Array(10_001).fill("A") }).success).toBe(false);
    const set = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`K${i}`, ""]));
    expect(ApplyRequest.safeParse({ set, delete: [] }).success).toBe(true);
    const tooMany = ApplyRequest.safeParse({ set, delete: ["ONE_MORE"] });
    expect(tooMany.error && describeIssues(tooMany.error)).toBe("body: more than 20000 names in all");
  });

  it("require deployed hashes to be lower-case hex HMACs", () => {
    expect(StateResponse.safeParse({ keys: { A: EXAMPLE_DEPLOYED_HASH } }).success).toBe(true);
    expect(StateResponse.safeParse({ keys: { A: EXAMPLE_DEPLOYED_HASH.toUpperCase() } }).success).toBe(false);
    expect(StateResponse.safeParse({ keys: { A: "plaintext" } }).success).toBe(false);
  });
});
