import { randomBytes, randomInt } from "node:crypto";

/**
 * `ringbearer login` (RFC 8628 device authorization): the CLI keeps a device code and shows a user code, which a
 * signed-in person enters in the console to approve a short-lived personal token. Both codes are random; only
 * keyed hashes of them are stored (db/vault.ts).
 */

/** How long a login waits for its approval and its token's delivery. */
export const LOGIN_MINUTES = 10;
/** How often the CLI may poll; sooner is answered `slow_down` (429). */
export const POLL_SECONDS = 5;
/** How long a personal token lives: a working day, then `ringbearer login` again. */
export const PERSONAL_TOKEN_HOURS = 12;

/** RFC 8628 §6.1: consonants only (no vowels, so no words; no look-alikes such as 0/O, 1/I). */
const ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_CHARS = 8;

/** A user code as people read and type it: `WDJB-MJHT` (20^8, about 37 bits, guessed within 10 minutes: never). */
export function newUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_CHARS; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A typed user code in its one form (upper case, no dash or spaces), or null when it cannot be one. */
export function normalUserCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_CHARS || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

/** The CLI's secret for polling: 32 random bytes, base64url. */
export const newDeviceCode = (): string => randomBytes(32).toString("base64url");

/** A device code's shape (a poll with anything else is refused before the database is asked). */
export const isDeviceCode = (code: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(code);
