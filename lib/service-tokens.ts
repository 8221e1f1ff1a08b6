import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import ipaddr from "ipaddr.js";

/**
 * Service tokens: what a deploy pipeline or an app presents instead of a person's session. The format is
 * GitHub's idea: a prefix a secret scanner recognises (`rb_st_`), 32 random base62 characters (about 190 bits),
 * then 6 base62 characters of CRC-32 over the prefix and random part. The checksum lets the API and the CLI
 * tell a mistyped or truncated token (`token_invalid`, without a database read) from a real one that was
 * revoked or has expired. The token is shown once; only a keyed hash of it is stored (db/vault.ts).
 */
export const SERVICE_TOKEN_PREFIX = "rb_st_";
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const SERVICE_TOKEN_LENGTH = SERVICE_TOKEN_PREFIX.length + RANDOM_CHARS + CHECKSUM_CHARS;
const SHAPE = new RegExp(`^${SERVICE_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_CHARS + CHECKSUM_CHARS}}$`);

/** Days a token lives when its creator does not say, and the longest an organization allows by default. */
export const DEFAULT_TOKEN_DAYS = 30;
export const MAX_TOKEN_DAYS = 365;

/** A number as exactly `width` base62 characters (most significant first). */
function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** 32 random base62 characters, without modulo bias (bytes ≥ 248 are drawn again). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

const checksumOf = (body: string) => base62(crc32(body), CHECKSUM_CHARS);

/** A new token. Shown once to its creator; never stored, logged or returned again. */
export function newServiceToken(): string {
  const body = SERVICE_TOKEN_PREFIX + randomBase62(RANDOM_CHARS);
  return body + checksumOf(body);
}

export type TokenShape = "ok" | "malformed" | "checksum";

/**
 * Whether a string can be a token, without a database read: `malformed` (not the shape at all: another kind of
 * credential, a truncated paste), `checksum` (the shape, but a character is wrong: a typo), or `ok`. Either
 * failure is answered `token_invalid`; only an `ok` token is looked up.
 */
export function tokenShape(token: string): TokenShape {
  if (!SHAPE.test(token)) return "malformed";
  const body = token.slice(0, -CHECKSUM_CHARS);
  return checksumOf(body) === token.slice(-CHECKSUM_CHARS) ? "ok" : "checksum";
}

/** What a list shows of a token after it was created: the prefix and the first four random characters. */
export const tokenHint = (token: string): string => `${token.slice(0, SERVICE_TOKEN_PREFIX.length + 4)}…`;

/**
 * What a token may do in its environments: `client` reads the analytics destinations a visitor's consent allows,
 * with their client-side settings only (what a browser may hold), and nothing else; `read` reads values (and
 * destinations with their server-side secrets); `read-write` writes values too.
 */
export const TOKEN_ACCESS = ["client", "read", "read-write"] as const;
export type TokenAccess = (typeof TOKEN_ACCESS)[number];

/** Whether `entry` is an address range a token may be bound to: `10.20.0.0/16`, `2001:db8::/32`, one address. */
export function isCidr(entry: string): boolean {
  const [ip, bits, extra] = entry.split("/");
  if (extra !== undefined || !(ipaddr.IPv4.isValidFourPartDecimal(ip) || ipaddr.IPv6.isValid(ip)))
    return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && ipaddr.isValidCIDR(entry));
}

/**
 * Whether a request from `address` may use a token bound to `cidrs` (none: from anywhere). An IPv4 client seen
 * through an IPv6 socket (`::ffff:10.0.0.1`) is compared as the IPv4 address it is.
 */
export function addressAllowed(address: string | null | undefined, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  if (!address || !ipaddr.isValid(address)) return false;
  const client = ipaddr.process(address);
  return cidrs.some((entry) => {
    if (!isCidr(entry)) return false;
    const [range, bits] = entry.includes("/")
      ? ipaddr.parseCIDR(entry)
      : [ipaddr.process(entry), ipaddr.process(entry).kind() === "ipv4" ? 32 : 128];
    return client.kind() === range.kind() && client.match(range, bits);
  });
}

/** Where a token stands now: live, expired or revoked (revocation wins). */
export function tokenState(
  t: { revokedAt: Date | null; expiresAt: Date },
  now = new Date(),
): "live" | "expired" | "revoked" {
  if (t.revokedAt) return "revoked";
  return t.expiresAt <= now ? "expired" : "live";
}
