import { describe, expect, it } from "vitest";
import {
  addressFromHeaders,
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  normalizeAddress,
  PROXY_TOKEN_HEADER,
  parseTrustedProxies,
  prepareRequestHeaders,
} from "@/lib/client-address";

const none = parseTrustedProxies(undefined);

describe("the client's address", () => {
  it("is the socket's when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("::ffff:192.0.2.10", "198.51.100.77", none)).toEqual({
      address: "192.0.2.10",
      trustedPeer: false,
    });
    expect(clientAddress("::1", "198.51.100.77, 10.0.0.1", none).address).toBe("::1");
  });

  it("is the right-most address that is not a trusted proxy", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, ::1");
    // client → (spoofed entry) → proxy 10.0.0.2 → peer 10.0.0.1
    expect(clientAddress("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", trusted)).toEqual({
      address: "203.0.113.5",
      trustedPeer: true,
    });
    // A peer that is not trusted: its X-Forwarded-For is ignored.
    expect(clientAddress("203.0.113.9", "10.0.0.5", trusted)).toEqual({
      address: "203.0.113.9",
      trustedPeer: false,
    });
    // Garbage where the client should be is "unknown", never the text.
    expect(clientAddress("10.0.0.1", "'; drop table users; --", trusted).address).toBeUndefined();
  });

  it("with a hop count, is the address that many hops from the peer", () => {
    const one = parseTrustedProxies("1");
    expect(clientAddress("10.0.0.1", "6.6.6.6, 203.0.113.5", one).address).toBe("203.0.113.5");
    const two = parseTrustedProxies("2");
    expect(clientAddress("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", two).address).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.1", undefined, two).address).toBe("10.0.0.1");
  });

  it("normalises addresses and refuses what is not one", () => {
    expect(normalizeAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("localhost")).toBeUndefined();
    expect(normalizeAddress("1.2.3.4:80")).toBeUndefined();
    expect(normalizeAddress("")).toBeUndefined();
  });
});

describe("RINGBEARER_TRUSTED_PROXIES", () => {
  it("takes addresses, CIDR ranges or a hop count, and names a wrong entry", () => {
    expect(parseTrustedProxies("").kind).toBe("none");
    expect(parseTrustedProxies("127.0.0.1, ::1, 10.0.0.0/8, fd00::/8").kind).toBe("list");
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(() => parseTrustedProxies("0")).toThrow(/between 1 and 10/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/proxy.internal/);
    expect(() => parseTrustedProxies("10.0.0.1/8/2")).toThrow();
  });
});

describe("the serving wrapper's header handling", () => {
  const token = "t".repeat(43);

  it("removes every forwarding header from an untrusted peer and forged private headers", () => {
    const headers: Record<string, string | string[] | undefined> = {
      host: "console.example",
      "x-forwarded-for": "198.51.100.77",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
      "x-real-ip": "198.51.100.77",
      forwarded: "for=198.51.100.77;host=evil.example",
      [CLIENT_ADDRESS_HEADER]: "198.51.100.77",
      [PROXY_TOKEN_HEADER]: "forged",
    };
    expect(prepareRequestHeaders(headers, "::ffff:192.0.2.10", none, token)).toBe("192.0.2.10");
    expect(headers).toEqual({
      host: "console.example",
      [CLIENT_ADDRESS_HEADER]: "192.0.2.10",
      [PROXY_TOKEN_HEADER]: token,
    });
  });

  it("keeps them from a trusted proxy, and names the client behind it", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-forwarded-for": ["203.0.113.5", "10.0.0.2"],
      "x-forwarded-host": "console.example",
    };
    prepareRequestHeaders(headers, "10.0.0.1", parseTrustedProxies("10.0.0.0/8"), token);
    expect(headers["x-forwarded-host"]).toBe("console.example");
    expect(headers[CLIENT_ADDRESS_HEADER]).toBe("203.0.113.5");
  });

  it("is believed by the app only with this process's token", () => {
    const from = (h: Record<string, string>) => (name: string) => h[name];
    const good = { [CLIENT_ADDRESS_HEADER]: "192.0.2.10", [PROXY_TOKEN_HEADER]: token };
    expect(addressFromHeaders(from(good), token)).toBe("192.0.2.10");
    // Plain `next start`: no token in the process, so a header a client wrote is not believed.
    expect(addressFromHeaders(from(good), undefined)).toBeUndefined();
    expect(
      addressFromHeaders(from({ ...good, [PROXY_TOKEN_HEADER]: "x".repeat(43) }), token),
    ).toBeUndefined();
    expect(addressFromHeaders(from({ [CLIENT_ADDRESS_HEADER]: "192.0.2.10" }), token)).toBeUndefined();
    expect(addressFromHeaders(from({ ...good, [CLIENT_ADDRESS_HEADER]: "unknown" }), token)).toBeUndefined();
  });
});
