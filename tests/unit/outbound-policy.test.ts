import { describe, expect, it } from "vitest";
import {
  addressRefusal,
  EMPTY_ALLOWLIST,
  literalHostRefusal,
  mayConnect,
  parseAllowlist,
} from "@/lib/net/outbound-policy";

/** Addresses the console must not reach by default, with the range that refuses them. */
const REFUSED: [string, RegExp][] = [
  ["127.0.0.1", /loopback/],
  ["127.255.255.254", /loopback/],
  ["10.0.0.1", /private/],
  ["172.16.0.1", /private/],
  ["172.31.255.255", /private/],
  ["192.168.1.1", /private/],
  ["100.64.0.1", /carrierGradeNat/],
  ["100.127.255.254", /carrierGradeNat/],
  ["169.254.169.254", /linkLocal/],
  ["169.254.0.1", /linkLocal/],
  ["0.0.0.0", /unspecified/],
  ["0.1.2.3", /unspecified/],
  ["224.0.0.1", /multicast/],
  ["239.255.255.250", /multicast/],
  ["255.255.255.255", /broadcast/],
  ["240.0.0.1", /reserved/],
  ["192.0.0.8", /reserved/],
  ["192.0.2.10", /reserved/], // TEST-NET-1 (documentation)
  ["198.51.100.7", /reserved/], // TEST-NET-2
  ["203.0.113.9", /reserved/], // TEST-NET-3
  ["198.18.0.1", /reserved/], // benchmarking
  ["198.19.255.1", /reserved/],
  ["::1", /loopback/],
  ["::", /unspecified/],
  ["fc00::1", /uniqueLocal/],
  ["fd12:3456::1", /uniqueLocal/],
  ["fe80::1", /linkLocal/],
  ["fec0::1", /deprecatedSiteLocal/],
  ["ff02::1", /multicast/],
  ["2001:db8::1", /reserved/], // documentation
  ["2001:2::1", /benchmarking/],
  ["100::1", /discard/],
  ["::ffff:127.0.0.1", /ipv4Mapped loopback/],
  ["::ffff:7f00:1", /ipv4Mapped loopback/],
  ["::ffff:169.254.169.254", /ipv4Mapped linkLocal/],
  ["::ffff:10.1.2.3", /ipv4Mapped private/],
  ["::ffff:0:192.168.0.1", /rfc6145 private/],
  ["::127.0.0.1", /loopback|not global unicast/], // IPv4-compatible, dotted
  ["::7f00:1", /not global unicast/], // IPv4-compatible 127.0.0.1
  ["::a9fe:a9fe", /not global unicast/], // IPv4-compatible 169.254.169.254
  ["64:ff9b::127.0.0.1", /nat64 loopback/],
  ["64:ff9b::a9fe:a9fe", /nat64 linkLocal/],
  ["64:ff9b:1::a00:1", /rfc6052/], // local-use NAT64 prefix
  ["2002:7f00:1::1", /6to4 loopback/],
  ["2002:a9fe:a9fe::", /6to4 linkLocal/],
  ["2002:c0a8:101::1", /6to4 private/],
  ["2001::1", /teredo/],
  ["4000::1", /not global unicast/],
];

const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "172.32.0.1",
  "100.128.0.1",
  "2606:4700:4700::1111",
  "2a00:1450:4009:81e::200e",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
];

describe("the outbound address policy", () => {
  it.each(REFUSED)("refuses %s (%s) by default", (ip, why) => {
    expect(addressRefusal(ip)).toMatch(why);
    expect(mayConnect("target.example", ip, EMPTY_ALLOWLIST)).toBe(false);
  });

  it.each(PUBLIC)("allows the public address %s", (ip) => {
    expect(addressRefusal(ip)).toBeNull();
    expect(mayConnect("target.example", ip, EMPTY_ALLOWLIST)).toBe(true);
  });

  it("refuses what is not an address", () => {
    expect(addressRefusal("localhost")).toBe("not an IP address");
    expect(mayConnect("x", "not-an-ip", EMPTY_ALLOWLIST)).toBe(false);
  });
});

describe("the operator's allowlist", () => {
  const allow = parseAllowlist(" 127.0.0.1, ::1 ,10.20.0.0/16, fd00:1::/32, Receiver.Internal. ");

  it("opens exactly the listed addresses, ranges and host names", () => {
    expect(mayConnect("x", "127.0.0.1", allow)).toBe(true);
    expect(mayConnect("x", "127.0.0.2", allow)).toBe(false);
    expect(mayConnect("x", "::1", allow)).toBe(true);
    expect(mayConnect("x", "::ffff:127.0.0.1", allow)).toBe(true);
    expect(mayConnect("x", "10.20.255.1", allow)).toBe(true);
    expect(mayConnect("x", "::ffff:10.20.0.9", allow)).toBe(true);
    expect(mayConnect("x", "10.21.0.1", allow)).toBe(false);
    expect(mayConnect("x", "fd00:1:2::3", allow)).toBe(true);
    expect(mayConnect("x", "fd00:2::3", allow)).toBe(false);
    expect(mayConnect("x", "169.254.169.254", allow)).toBe(false);
    expect(mayConnect("receiver.internal", "10.9.9.9", allow)).toBe(true);
    expect(mayConnect("RECEIVER.internal.", "10.9.9.9", allow)).toBe(true);
    expect(mayConnect("other.internal", "10.9.9.9", allow)).toBe(false);
    expect(mayConnect("x", "8.8.8.8", allow)).toBe(true);
  });

  it("is empty when unset or blank", () => {
    expect(parseAllowlist(undefined)).toEqual(EMPTY_ALLOWLIST);
    expect(parseAllowlist(" , ")).toEqual(EMPTY_ALLOWLIST);
  });

  it.each([
    "10.0.0.0/33",
    "10.0.0.0/",
    "0x7f.1",
    "2130706433",
    "127.1",
    "http://receiver",
    "host name",
    "-bad.example",
    "::1/129",
  ])("refuses the entry %s with a message naming it", (entry) => {
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(entry);
  });
});

describe("the save-time check of a URL's host", () => {
  const hostOf = (url: string) => new URL(url).hostname;

  it.each([
    "http://169.254.169.254/",
    "http://127.0.0.1:4400/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://[::1]:4400/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://10.0.0.5:4400",
    "http://localhost:4400/",
    "http://LOCALHOST./",
    "http://app.localhost/",
    "http://0.0.0.0/",
  ])("refuses %s", (url) => {
    expect(literalHostRefusal(hostOf(url), EMPTY_ALLOWLIST)).not.toBeNull();
  });

  it("leaves names to the connect-time check, and honours the allowlist", () => {
    expect(literalHostRefusal(hostOf("https://deploy.example/"), EMPTY_ALLOWLIST)).toBeNull();
    expect(literalHostRefusal(hostOf("https://8.8.8.8/"), EMPTY_ALLOWLIST)).toBeNull();
    const allow = parseAllowlist("127.0.0.1,::1,localhost");
    expect(literalHostRefusal(hostOf("http://127.0.0.1:4400/"), allow)).toBeNull();
    expect(literalHostRefusal(hostOf("http://[::1]:4400/"), allow)).toBeNull();
    expect(literalHostRefusal(hostOf("http://localhost:4400/"), allow)).toBeNull();
    expect(literalHostRefusal(hostOf("http://2130706433/"), allow)).toBeNull();
    expect(literalHostRefusal(hostOf("http://169.254.169.254/"), allow)).not.toBeNull();
  });
});
