import type { z } from "zod";
import {
  ApplyRequest,
  describeIssues,
  ErrorResponse,
  MAX_BODY_BYTES,
  MAX_VALUES_KEYS,
  SIGNATURE_HEADER,
  StateResponse,
  signRequest,
  ValuesRequest,
  ValuesResponse,
  verifyResponse,
} from "@/lib/sync-protocol";
import { ConnectFailed, type Resolver } from "../net/guarded-connect";
import { guardedFetch, type Transport } from "../net/guarded-fetch";
import { type Allowlist, EMPTY_ALLOWLIST, literalHostRefusal } from "../net/outbound-policy";
import { type DeployedState, type TargetDriver, TargetError } from "./types";

/** A guard against a runaway receiver, not a protocol limit: a values answer may exceed MAX_BODY_BYTES. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

type Options = {
  url: string;
  secret: string;
  timeoutMs?: number;
  /** Hosts and ranges opened beyond public addresses (the operator's RINGBEARER_OUTBOUND_ALLOW); none by default. */
  allow?: Allowlist;
  /** For tests: how host names resolve (the system resolver by default). */
  resolve?: Resolver;
  /** For tests: a transport instead of the guarded one (private IP literals are still refused before it). */
  fetch?: Transport;
};
/** `requestSignature` is what we signed the request with: the answer must be signed together with it. */
type Answer = { status: number; headers: Headers; text: string; requestSignature: string };

/** The base URL with a trailing slash, so `v1/state` lands under any path prefix the deployment uses. */
function baseUrl(url: string): URL {
  let base: URL;
  try {
    base = new URL(url.endsWith("/") ? url : `${url}/`);
  } catch {
    throw new TargetError("refused", "The target URL is not a valid URL");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TargetError("refused", "The target URL must start with http:// or https://");
  }
  if (base.username || base.password) {
    throw new TargetError("refused", "The target URL must not contain a user name or password");
  }
  return base;
}

async function readLimited(response: Response): Promise<string> {
  const tooLarge = () => new TargetError("bad_response", "The target's answer is larger than 64 MiB");
  if (Number(response.headers.get("content-length")) > MAX_RESPONSE_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const causeCode = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
};

/**
 * A Ringbearer receiver over HTTP(S). Every request is signed (with a fresh nonce, so the receiver can refuse a
 * replay) and every answer must be signed back for that request, so a stranger on the path can neither push
 * values nor feed the console a fake or recorded state. Redirects are not followed: a signed body with values
 * must not be re-sent somewhere else.
 *
 * Outbound policy: only public addresses, unless allowlisted, checked on the address each connection actually
 * uses (lib/net). A refused address, a name that does not resolve, a closed port and a host that does not
 * answer all give the same answer, "Could not connect to host:port", so targets cannot map a network.
 */
export function httpTarget({
  url,
  secret,
  timeoutMs = 5000,
  allow = EMPTY_ALLOWLIST,
  resolve,
  fetch: transport = guardedFetch(allow, { resolve }),
}: Options): TargetDriver {
  const seconds = `${timeoutMs / 1000} s`;

  function transportError(error: unknown, where: string): TargetError {
    if (error instanceof TargetError) return error;
    if (error instanceof ConnectFailed)
      return new TargetError("unreachable", `Could not connect to ${where}`);
    const name = (error as { name?: string })?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      return new TargetError("timeout", `No answer within ${seconds}`);
    }
    const code = causeCode(error);
    return new TargetError("unreachable", `The connection to ${where} failed${code ? ` (${code})` : ""}`);
  }

  async function send(method: string, endpoint: string, payload?: unknown): Promise<Answer> {
    const base = baseUrl(url);
    const target = new URL(endpoint, base);
    const path = `${target.pathname}${target.search}`;
    const body = payload === undefined ? "" : JSON.stringify(payload);
    if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
      throw new TargetError(
        "refused",
        "The request is larger than 5 MiB: send fewer or smaller values at once",
      );
    }
    const signed = signRequest({ secret, method, path, body });
    const headers: Record<string, string> = { accept: "application/json", ...signed };
    if (body) headers["content-type"] = "application/json";
    const where = `${base.hostname}:${base.port || (base.protocol === "https:" ? "443" : "80")}`;
    if (literalHostRefusal(base.hostname, allow)) throw transportError(new ConnectFailed("policy"), where);
    try {
      const response = await transport(target, {
        method,
        headers,
        body: body || undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await readLimited(response);
      return {
        status: response.status,
        headers: response.headers,
        text,
        requestSignature: signed[SIGNATURE_HEADER],
      };
    } catch (error) {
      throw transportError(error, where);
    }
  }

  function unauthorized({ status, headers, text, requestSignature }: Answer): TargetError {
    const check = verifyResponse({ secret, status, requestSignature, headers, body: text });
    if (check.ok) {
      return new TargetError(
        "unauthorized",
        "The target refused our signature though we share the secret: is a proxy changing the path or body?",
      );
    }
    if (check.reason === "stale") {
      return new TargetError("unauthorized", "The target's clock and ours are more than 5 minutes apart");
    }
    return new TargetError("unauthorized", "The target refused our signature: check the shared secret");
  }

  function refused({ status, text }: Answer): TargetError {
    let parsed: ReturnType<typeof ErrorResponse.safeParse> | undefined;
    try {
      parsed = ErrorResponse.safeParse(JSON.parse(text));
    } catch {}
    if (!parsed?.success) return new TargetError("refused", `The target answered HTTP ${status}`);
    const { error, message } = parsed.data;
    return new TargetError("refused", `${message.slice(0, 500)} (HTTP ${status} ${error.slice(0, 40)})`);
  }

  async function call<T>(method: string, endpoint: string, schema: z.ZodType<T>, payload?: unknown) {
    const answer = await send(method, endpoint, payload);
    const { status, headers, text, requestSignature } = answer;
    if (status >= 300 && status < 400) {
      throw new TargetError(
        "refused",
        `The target answered with a redirect (HTTP ${status}); redirects are not followed`,
      );
    }
    if (status === 401) throw unauthorized(answer);
    const check = verifyResponse({ secret, status, requestSignature, headers, body: text });
    if (!check.ok) {
      if (check.reason === "stale") {
        throw new TargetError(
          "bad_response",
          "The target's answer is signed more than 5 minutes from our clock",
        );
      }
      const http = status >= 200 && status < 300 ? "" : ` (HTTP ${status})`;
      if (check.reason === "missing") {
        throw new TargetError("bad_response", `response not signed by the target${http}`);
      }
      throw new TargetError(
        "bad_response",
        `The target's answer is not signed for this request: replayed, altered or signed with another secret${http}`,
      );
    }
    if (status < 200 || status >= 300) throw refused(answer);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TargetError("bad_response", "The target's answer is not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new TargetError(
        "bad_response",
        `The target's answer is malformed: ${describeIssues(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  const toState = ({ keys }: StateResponse): DeployedState => new Map(Object.entries(keys));

  return {
    state: async () => toState(await call("GET", "v1/state", StateResponse)),

    async values(names) {
      const unique = [...new Set(names)];
      const found = new Map<string, string>();
      for (let i = 0; i < unique.length; i += MAX_VALUES_KEYS) {
        const request = ValuesRequest.safeParse({ keys: unique.slice(i, i + MAX_VALUES_KEYS) });
        if (!request.success) throw new TargetError("refused", describeIssues(request.error));
        const wanted = new Set(request.data.keys);
        const { values } = await call("POST", "v1/values", ValuesResponse, request.data);
        for (const [name, value] of Object.entries(values)) if (wanted.has(name)) found.set(name, value);
      }
      return found;
    },

    async apply(change) {
      const request = ApplyRequest.safeParse(change);
      if (!request.success) throw new TargetError("refused", describeIssues(request.error));
      return toState(await call("PUT", "v1/state", StateResponse, request.data));
    },
  };
}
