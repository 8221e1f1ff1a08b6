import { promises as dns, type LookupAddress } from "node:dns";
import net from "node:net";
import { type Allowlist, mayConnect } from "./outbound-policy";

/** Resolves a host name to its addresses (the system resolver by default; tests inject their own). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * A connection that failed before it was established: refused by the outbound policy, a name that does not
 * resolve, a closed port, a host that does not answer in time. Callers answer all of these the same way, so
 * the console cannot be used to tell them apart (a port scanner); `reason` is for the server's log only.
 */
export class ConnectFailed extends Error {
  constructor(
    readonly reason: "policy" | "dns" | "connect" | "timeout",
    options?: { cause?: unknown },
  ) {
    super("Could not connect", options);
    this.name = "ConnectFailed";
  }
}

/** `[::1]` → `::1`: the host as the resolver and `net` want it. */
const bare = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/** Rejects when the signal aborts, so a resolver that hangs cannot outlive the caller's deadline. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new ConnectFailed("timeout", { cause: signal.reason }));
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * The addresses the console may connect to for `host`, resolved once and checked: an IP literal is checked
 * as it is; a name is resolved and refused if ANY of its addresses is not allowed (so neither a mixed answer
 * nor a second lookup can reach a private address). Connect to what this returns, never to the name again:
 * that is what defeats DNS rebinding between the check and the connection.
 */
export async function allowedAddresses(
  host: string,
  allow: Allowlist,
  { resolve = systemResolver, signal }: { resolve?: Resolver; signal?: AbortSignal } = {},
): Promise<LookupAddress[]> {
  const name = bare(host);
  const family = net.isIP(name);
  let found: LookupAddress[];
  if (family) found = [{ address: name, family }];
  else {
    try {
      found = await untilAborted(resolve(name), signal);
    } catch (error) {
      if (error instanceof ConnectFailed) throw error;
      throw new ConnectFailed("dns", { cause: error });
    }
  }
  if (found.length === 0) throw new ConnectFailed("dns");
  if (found.some(({ address }) => !mayConnect(host, address, allow))) throw new ConnectFailed("policy");
  return found;
}

/**
 * A `lookup` for `net`/`http`/`tls` that answers only with addresses already checked, so the socket connects
 * to them while TLS still verifies the certificate against the host name.
 */
export function pinnedLookup(addresses: LookupAddress[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const list = addresses.filter((a) => !wanted || a.family === wanted);
    if (list.length === 0) {
      const error = Object.assign(new Error("no allowed address"), { code: "ENOTFOUND" });
      return (callback as (e: Error) => void)(error);
    }
    if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
    (callback as (e: null, a: string, f: number) => void)(null, list[0].address, list[0].family);
  };
}

/**
 * Opens a TCP connection to `host:port` under the policy; resolves once connected. Every failure before the
 * connection is established is a `ConnectFailed`.
 */
export async function guardedSocket(
  host: string,
  port: number,
  allow: Allowlist,
  { resolve, signal }: { resolve?: Resolver; signal?: AbortSignal } = {},
): Promise<net.Socket> {
  const addresses = await allowedAddresses(host, allow, { resolve, signal });
  return new Promise((done, fail) => {
    const socket = net.connect({ host: bare(host), port, lookup: pinnedLookup(addresses) });
    const stop = (error: ConnectFailed) => {
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      fail(error);
    };
    const onAbort = () => stop(new ConnectFailed("timeout", { cause: signal?.reason }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", (error) => stop(new ConnectFailed("connect", { cause: error })));
    socket.once("connect", () => {
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("error");
      done(socket);
    });
  });
}
