import { createHash, createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { hashesEqual } from "@/lib/crypto";

/**
 * The deployment target protocol, v1 (see docs/sync-protocol.md): how the console and a target agree on what is
 * deployed without the console storing anyone's plaintext, and how each side proves a message came from the
 * other. Both rest on one shared secret per target; there are no other credentials. Each request carries a random
 * nonce, so no two share a signature (a receiver serves each signature once), and each response is signed
 * together with the signature of the request it answers, so it cannot pass for the answer to another.
 */

export const PROTOCOL_VERSION = "v1";
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
export const MAX_SKEW_MS = 300_000;
export const TIMESTAMP_HEADER = "x-ringbearer-timestamp";
export const SIGNATURE_HEADER = "x-ringbearer-signature";
export const NONCE_HEADER = "x-ringbearer-nonce";
export const MAX_APPLY_KEYS = 20_000;
export const MAX_VALUES_KEYS = 10_000;
export const MAX_VALUE_BYTES = 64 * 1024;
export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DEPLOYED_PREFIX = "ringbearer:deployed:v1\n";
const SIGNATURE = /^v1=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,15}$/;
const NONCE = /^[0-9a-f]{32}$/;

const hmacHex = (secret: string, message: string): string =>
  createHmac("sha256", Buffer.from(secret, "utf8")).update(message, "utf8").digest("hex");

const sha256Hex = (body: string): string => createHash("sha256").update(body, "utf8").digest("hex");

/** A value's deployed hash: keyed by the target's secret, so a leaked state reveals nothing guessable. */
export const deployedHash = (secret: string, value: string): string =>
  hmacHex(secret, DEPLOYED_PREFIX + value);

export type SignedHeaders = Record<typeof TIMESTAMP_HEADER | typeof SIGNATURE_HEADER, string>;
export type SignedRequestHeaders = SignedHeaders & Record<typeof NONCE_HEADER, string>;
export type Verification = { ok: true } | { ok: false; reason: "missing" | "stale" | "mismatch" };
/** Node's `IncomingHttpHeaders`, a fetch `Headers`, or a plain record with lower-case names. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export const requestSigningString = (
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
): string => `v1\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${sha256Hex(body)}`;

/** `requestSignature` is the `x-ringbearer-signature` of the request answered, as received ("" if none). */
export const responseSigningString = (
  status: number,
  timestamp: string,
  requestSignature: string,
  body: string,
): string => `v1\nRESPONSE\n${status}\n${timestamp}\n${requestSignature}\n${sha256Hex(body)}`;

/** 16 random bytes in lower-case hex: a fresh one for every request. */
export const newNonce = (): string => randomBytes(16).toString("hex");

function signed(secret: string, now: number, stringFor: (timestamp: string) => string): SignedHeaders {
  const timestamp = String(Math.floor(now));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v1=${hmacHex(secret, stringFor(timestamp))}`,
  };
}

export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * Checks the signature before the clock, so `stale` means "genuinely signed, but too old or too new": a replay
 * or clocks more than MAX_SKEW_MS apart, which is worth telling apart from a wrong secret.
 */
function verify(
  secret: string,
  headers: HeaderSource,
  now: number,
  stringFor: (timestamp: string) => string,
): Verification {
  const timestamp = readHeader(headers, TIMESTAMP_HEADER);
  const signature = readHeader(headers, SIGNATURE_HEADER);
  if (!timestamp || !signature || !TIMESTAMP.test(timestamp)) return { ok: false, reason: "missing" };
  const given = SIGNATURE.exec(signature)?.[1];
  if (!given || !hashesEqual(given, hmacHex(secret, stringFor(timestamp)))) {
    return { ok: false, reason: "mismatch" };
  }
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) return { ok: false, reason: "stale" };
  return { ok: true };
}

type RequestParts = { secret: string; method: string; path: string; body?: string; now?: number };
type ResponseParts = {
  secret: string;
  status: number;
  requestSignature: string;
  body?: string;
  now?: number;
};

/**
 * `path` is the URL path with its query string, exactly as sent; `body` the exact body text ("" for none).
 * `nonce` is for pinned test vectors only: a request must never reuse one.
 */
export function signRequest({
  secret,
  method,
  path,
  body = "",
  now = Date.now(),
  nonce = newNonce(),
}: RequestParts & { nonce?: string }): SignedRequestHeaders {
  const headers = signed(secret, now, (ts) => requestSigningString(method, path, ts, nonce, body));
  return { ...headers, [NONCE_HEADER]: nonce };
}

/** Checks the signature and the clock, not whether the request was seen before: see lib/replay-guard. */
export function verifyRequest({
  secret,
  method,
  path,
  body = "",
  headers,
  now = Date.now(),
}: RequestParts & { headers: HeaderSource }): Verification {
  const nonce = readHeader(headers, NONCE_HEADER);
  if (!nonce || !NONCE.test(nonce)) return { ok: false, reason: "missing" };
  return verify(secret, headers, now, (ts) => requestSigningString(method, path, ts, nonce, body));
}

export const signResponse = ({
  secret,
  status,
  requestSignature,
  body = "",
  now = Date.now(),
}: ResponseParts) => signed(secret, now, (ts) => responseSigningString(status, ts, requestSignature, body));

export const verifyResponse = ({
  secret,
  status,
  requestSignature,
  body = "",
  headers,
  now = Date.now(),
}: ResponseParts & { headers: HeaderSource }): Verification =>
  verify(secret, headers, now, (ts) => responseSigningString(status, ts, requestSignature, body));

/** `__proto__` matches the pattern, but zod (rightly) drops it from records: refused, rather than lost. */
const KeyName = z
  .string()
  .regex(KEY_PATTERN, "not a variable name (letters, digits and _, not starting with a digit)")
  .refine((name) => name !== "__proto__", "a reserved name");

const namedRecord = <T extends z.ZodType<string>>(value: T) =>
  z
    .unknown()
    .superRefine((raw, ctx) => {
      if (raw && typeof raw === "object" && Object.hasOwn(raw, "__proto__")) {
        ctx.addIssue({ code: "custom", path: ["__proto__"], message: "a reserved name" });
      }
    })
    .pipe(z.record(KeyName, value));
const Hash = z.string().regex(/^[0-9a-f]{64}$/, "not a lower-case hex HMAC-SHA256");
const Value = z
  .string()
  .refine((value) => Buffer.byteLength(value, "utf8") <= MAX_VALUE_BYTES, "longer than 64 KiB");

export const StateResponse = z.object({ keys: namedRecord(Hash) });
export type StateResponse = z.infer<typeof StateResponse>;

export const ValuesRequest = z.object({ keys: z.array(KeyName).min(1).max(MAX_VALUES_KEYS) });
export type ValuesRequest = z.infer<typeof ValuesRequest>;

/** No size limit on values here: a value deployed by hand may be larger, and the console decides what to adopt. */
export const ValuesResponse = z.object({ values: namedRecord(z.string()) });
export type ValuesResponse = z.infer<typeof ValuesResponse>;

/** A name both set and deleted has no clear outcome, so it is refused rather than resolved by a rule. */
export const ApplyRequest = z
  .object({ set: namedRecord(Value), delete: z.array(KeyName) })
  .superRefine((change, ctx) => {
    const names = Object.keys(change.set).length + change.delete.length;
    if (names > MAX_APPLY_KEYS) {
      ctx.addIssue({ code: "custom", path: [], message: `more than ${MAX_APPLY_KEYS} names in all` });
    }
    for (const name of change.delete) {
      if (Object.hasOwn(change.set, name)) {
        ctx.addIssue({ code: "custom", path: ["delete", name], message: "also in set" });
      }
    }
  });
export type ApplyRequest = z.infer<typeof ApplyRequest>;

export const ErrorResponse = z.object({ error: z.string(), message: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/**
 * A zod error as one line naming where the problem is, e.g. `set.db-url: not a variable name (…)`. Zod's messages say
 * what was expected, never the value received, so the line is safe to send and log.
 */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? issue.path.join(".") : "body";
    const inner = issue.code === "invalid_key" ? issue.issues[0]?.message : undefined;
    return `${where}: ${inner ?? issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return parts.join("; ") + more;
}
