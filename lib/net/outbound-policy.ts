import ipaddr from "ipaddr.js";

/**
 * Which addresses the console may connect to (sync targets, the connectivity check). By default only public
 * unicast addresses: never loopback, private, shared (CGNAT), link-local (the cloud metadata service at
 * 169.254.169.254), unique-local, multicast, broadcast, unspecified, reserved, documentation or benchmark
 * ranges, nor any IPv6 form that carries such an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo). An
 * operator opens specific hosts or ranges with an allowlist (RINGBEARER_OUTBOUND_ALLOW).
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

export type Allowlist = {
  /** Host names as written in a URL (lower case, no trailing dot): any address they resolve to is allowed. */
  readonly hosts: ReadonlySet<string>;
  /** Addresses and CIDR ranges. */
  readonly ranges: readonly Range[];
};

export const EMPTY_ALLOWLIST: Allowlist = { hosts: new Set(), ranges: [] };

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const isStrictIp = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s);

/** `[::1]` → `::1`, `Host.Example.` → `host.example`: a URL's host name as the policy compares it. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, "");
}

/**
 * Parses the allowlist: comma-separated host names, IP addresses and CIDR ranges, e.g.
 * `127.0.0.1,::1,10.20.0.0/16,receiver.internal`. Throws with a message naming the first bad entry.
 */
export function parseAllowlist(raw: string | undefined): Allowlist {
  const hosts = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of (raw ?? "").split(",").map((e) => e.trim())) {
    if (!entry) continue;
    if (entry.includes("/")) {
      const [ip, bits] = entry.split("/");
      if (!isStrictIp(ip) || !/^\d{1,3}$/.test(bits ?? "") || !ipaddr.isValidCIDR(entry))
        throw new Error(`"${entry}" is not a CIDR range such as 10.20.0.0/16 or fd00::/8`);
      ranges.push(ipaddr.parseCIDR(entry));
    } else if (isStrictIp(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (HOST_NAME.test(normalizeHost(entry)) && !/^[\d.]+$/.test(entry) && !/^0x/i.test(entry)) {
      hosts.add(normalizeHost(entry));
    } else {
      throw new Error(`"${entry}" is not a host name, an IP address or a CIDR range`);
    }
  }
  return { hosts, ranges };
}

/** The IPv4 address an IPv6 address carries in its last 32 bits. */
const low32 = (v6: ipaddr.IPv6) => ipaddr.IPv4.parse(v6.toByteArray().slice(12).join("."));

/** The IPv4 address of a 6to4 address (2002:AABB:CCDD::/48). */
const sixToFour = (v6: ipaddr.IPv6) => ipaddr.IPv4.parse(v6.toByteArray().slice(2, 6).join("."));

/**
 * Why an address may not be contacted by default (`null` when it is public). IPv6 addresses that embed an
 * IPv4 address are judged by that IPv4 address: `::ffff:127.0.0.1` is loopback.
 */
export function addressRefusal(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return "not an IP address";
  const address = ipaddr.parse(ip);
  if (address.kind() === "ipv4") {
    const range = (address as ipaddr.IPv4).range();
    return range === "unicast" ? null : range;
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const embedded = (v4: ipaddr.IPv4, via: string) => {
    const inner = addressRefusal(v4.toString());
    return inner ? `${via} ${inner}` : null;
  };
  switch (range) {
    case "ipv4Mapped":
    case "rfc6145":
      return embedded(low32(v6), range);
    case "rfc6052":
      // 64:ff9b::/96 carries a public IPv4 address through NAT64; 64:ff9b:1::/48 is for local use.
      return v6.match(ipaddr.parseCIDR("64:ff9b::/96")) ? embedded(low32(v6), "nat64") : range;
    case "6to4":
      return embedded(sixToFour(v6), "6to4");
    case "unicast":
      // Only global unicast (2000::/3); this also refuses IPv4-compatible ::a.b.c.d and unassigned space.
      return v6.match(ipaddr.parseCIDR("2000::/3")) ? null : "not global unicast";
    default:
      return range;
  }
}

/** The IPv4 form of an IPv4-mapped address, so `::ffff:10.0.0.1` matches an allowed `10.0.0.0/8`. */
function comparable(address: Address): Address {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

function inAllowedRange(ip: string, allow: Allowlist): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const address = comparable(ipaddr.parse(ip));
  return allow.ranges.some(
    ([base, bits]) => base.kind() === address.kind() && address.match(base as never, bits),
  );
}

export const hostAllowlisted = (host: string, allow: Allowlist) => allow.hosts.has(normalizeHost(host));

/** Whether the operator opened this host as written: its name, or (an IP literal) its range. */
export const hostOpened = (host: string, allow: Allowlist) =>
  hostAllowlisted(host, allow) || inAllowedRange(normalizeHost(host), allow);

/**
 * The decision at connect time: may the console open a connection to `address`, which `host` (as written in
 * the URL) resolved to? Yes when the host name or the address is allowlisted, or the address is public.
 */
export function mayConnect(host: string, address: string, allow: Allowlist): boolean {
  if (hostAllowlisted(host, allow) || inAllowedRange(address, allow)) return true;
  return addressRefusal(address) === null;
}

/**
 * The save-time check of a URL's host, before anything resolves: an IP literal that may not be contacted, or
 * a name that always means this machine (`localhost`), is refused with a reason. Names are checked again,
 * on their resolved address, each time the console connects.
 */
export function literalHostRefusal(host: string, allow: Allowlist): string | null {
  const name = normalizeHost(host);
  if (hostAllowlisted(name, allow)) return null;
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (!isStrictIp(name)) return null;
  if (inAllowedRange(name, allow)) return null;
  return addressRefusal(name);
}
