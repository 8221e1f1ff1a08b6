import { BlockList, isIP } from "node:net";

/**
 * Who the client is. Proxy headers (`X-Forwarded-For`, `Forwarded`, `X-Real-IP`, `X-Forwarded-Host/Proto/Port`)
 * are believed only when the TCP peer is a proxy the operator named (`RINGBEARER_TRUSTED_PROXIES`: addresses
 * and CIDR ranges, or a hop count); otherwise they are removed before the app sees the request and the
 * client is the socket's address. The serving wrapper (scripts/serve.mts) applies this to every request and
 * hands the result to the app in a private header that only it can set (see `addressFromHeaders`).
 */
export type TrustedProxies =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "list"; list: BlockList; entries: string[] };

/** Headers that only a trusted proxy may set; removed from every other request. */
export const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
] as const;

/** Set by the serving wrapper only (any incoming copy is removed): the client's address, and its proof. */
export const CLIENT_ADDRESS_HEADER = "x-ringbearer-client-address";
export const PROXY_TOKEN_HEADER = "x-ringbearer-proxy-token";

/** An IP address in canonical text (IPv4-mapped IPv6 as IPv4, brackets and zone removed), or undefined. */
export function normalizeAddress(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let value = raw.trim();
  if (value.startsWith("[") && value.includes("]")) value = value.slice(1, value.indexOf("]"));
  const zone = value.indexOf("%");
  if (zone > 0) value = value.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped) value = mapped[1];
  const family = isIP(value);
  if (family === 4) return value;
  if (family === 6) return value.toLowerCase();
  return undefined;
}

const familyOf = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4");

/**
 * Parses the setting: empty → trust nobody; a whole number N (1–10) → the N nearest hops are proxies;
 * otherwise comma-separated addresses or CIDR ranges (`10.0.0.0/8`, `::1`, `fd00::/8`). Throws a message
 * naming the entry that is wrong.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = value?.trim() ?? "";
  if (text === "") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new Error("a hop count must be between 1 and 10");
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [addressPart, prefixPart, extra] = entry.split("/");
    const address = normalizeAddress(addressPart);
    if (!address || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const family = familyOf(address);
    const max = family === "ipv4" ? 32 : 128;
    if (prefixPart === undefined) {
      list.addAddress(address, family);
      continue;
    }
    if (!/^\d{1,3}$/.test(prefixPart) || Number(prefixPart) > max)
      throw new Error(`"${entry}" has a prefix length outside 0–${max}`);
    list.addSubnet(address, Number(prefixPart), family);
  }
  return { kind: "list", list, entries };
}

const isTrusted = (trusted: TrustedProxies, address: string) =>
  trusted.kind === "list" && trusted.list.check(address, familyOf(address));

/**
 * The client's address for a request whose TCP peer is `peer` and whose `X-Forwarded-For` (all copies,
 * comma-joined) is `forwardedFor`. `trustedPeer` says whether the peer is a configured proxy (only then may
 * the other forwarding headers be kept). With a list, the client is the right-most address that is not a
 * trusted proxy; with a hop count N, the address N hops from the peer. A malformed entry where the client
 * should be gives undefined ("unknown"), never the text.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): { address: string | undefined; trustedPeer: boolean } {
  const socket = normalizeAddress(peer);
  if (!socket) return { address: undefined, trustedPeer: false };
  const trustedPeer = trusted.kind === "hops" || isTrusted(trusted, socket);
  if (!trustedPeer) return { address: socket, trustedPeer };
  const chain = (forwardedFor ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const hops = [...chain.map((e) => normalizeAddress(e) ?? null), socket];
  if (trusted.kind === "hops") {
    const index = Math.max(0, hops.length - 1 - trusted.hops);
    return { address: hops[index] ?? undefined, trustedPeer };
  }
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop === null) return { address: undefined, trustedPeer };
    if (!isTrusted(trusted, hop)) return { address: hop, trustedPeer };
  }
  return { address: hops[0] ?? undefined, trustedPeer };
}

type NodeHeaders = Record<string, string | string[] | undefined>;

const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);

/**
 * What the serving wrapper does to each request before Next sees it: works out the client, removes the
 * forwarding headers unless the peer is trusted, removes any incoming copy of the private headers, and sets
 * them (the address, or "unknown", and the process's token).
 */
export function prepareRequestHeaders(
  headers: NodeHeaders,
  peer: string | undefined,
  trusted: TrustedProxies,
  token: string,
): string | undefined {
  const { address, trustedPeer } = clientAddress(peer, joined(headers["x-forwarded-for"]), trusted);
  if (!trustedPeer) for (const name of FORWARDING_HEADERS) delete headers[name];
  headers[CLIENT_ADDRESS_HEADER] = address ?? "unknown";
  headers[PROXY_TOKEN_HEADER] = token;
  return address;
}

/** Constant-time string comparison (both are short ASCII tokens). */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The app's side: the client's address from the wrapper's private header — believed only when the request
 * carries this process's token, i.e. it came through the wrapper. Under plain `next start` (no wrapper, no
 * token) every address is unknown rather than whatever a client wrote into a header.
 */
export function addressFromHeaders(
  get: (name: string) => string | null | undefined,
  expectedToken: string | undefined,
): string | undefined {
  const token = get(PROXY_TOKEN_HEADER);
  if (!expectedToken || !token || !sameToken(token, expectedToken)) return undefined;
  return normalizeAddress(get(CLIENT_ADDRESS_HEADER));
}
