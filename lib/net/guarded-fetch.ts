import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { allowedAddresses, ConnectFailed, pinnedLookup, type Resolver } from "./guarded-connect";
import type { Allowlist } from "./outbound-policy";

export type Transport = (
  url: URL,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    /** Never followed here; a fetch used instead must be told the same. */
    redirect?: "manual";
  },
) => Promise<Response>;

const NULL_BODY = new Set([101, 204, 205, 304]);

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
  const status = res.statusCode ?? 502;
  if (NULL_BODY.has(status) || status < 200 || status > 599) {
    res.resume();
    return new Response(null, { status: status < 200 || status > 599 ? 502 : status, headers });
  }
  return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers });
}

/**
 * A minimal fetch for the console's outbound HTTP(S) under the outbound policy: the host is resolved and
 * checked first (every address), then the socket connects only to those addresses (TLS still verifies the
 * certificate for the host name). Redirects are never followed: a 3xx is returned as it is. A failure before
 * the connection is established rejects with `ConnectFailed`.
 */
export function guardedFetch(allow: Allowlist, { resolve }: { resolve?: Resolver } = {}): Transport {
  return async (url, { method, headers, body, signal }) => {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConnectFailed("policy");
    const addresses = await allowedAddresses(url.hostname, allow, { resolve, signal });
    if (signal?.aborted) throw new ConnectFailed("timeout", { cause: signal.reason });
    const client = url.protocol === "https:" ? https : http;
    return new Promise<Response>((done, fail) => {
      let connected = false;
      const req = client.request(url, {
        method,
        headers: body ? { ...headers, "content-length": String(Buffer.byteLength(body)) } : headers,
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      });
      req.once("socket", (socket) => {
        socket.once("connect", () => {
          connected = true;
        });
      });
      req.once("error", (error) => {
        const aborted = (error as { name?: string }).name === "AbortError";
        fail(connected ? error : new ConnectFailed(aborted ? "timeout" : "connect", { cause: error }));
      });
      req.once("response", (res) => done(toResponse(res)));
      req.end(body);
    });
  };
}
