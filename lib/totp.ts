import { generateSecret, generateURI, verify } from "otplib";
import { openSecret, sealSecret } from "./crypto";

/**
 * TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, ±1 step of clock drift. Codes are single-use: the caller
 * stores the accepted step and passes it back as `afterStep`, so that step and every earlier one are refused.
 */
export const TOTP = {
  algorithm: "sha1",
  digits: 6,
  period: 30,
  driftSteps: 1,
  issuer: "Ringbearer",
} as const;

/** What a person types: six digits, spaces allowed ("123 456"). */
export function normalizeCode(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** A new random secret: 20 bytes (160 bits), base32 as authenticator apps expect. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The `otpauth://` URI an authenticator app scans (or the secret is typed in by hand). */
export const totpUri = (secret: string, account: string): string =>
  generateURI({
    issuer: TOTP.issuer,
    label: account,
    secret,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.period,
  });

/** The secret in groups of four, easier to type into an app by hand. */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

export type TotpCheck = { ok: true; step: number } | { ok: false };

/**
 * Checks a code against the secret at `at` (default now), within ±1 step, refusing any step at or before
 * `afterStep` (replay). Malformed input is simply not valid.
 */
export async function checkTotp(
  secret: string,
  input: string,
  opts: { afterStep?: number | null; at?: Date } = {},
): Promise<TotpCheck> {
  const token = normalizeCode(input);
  if (!token) return { ok: false };
  try {
    const result = await verify({
      secret,
      token,
      algorithm: TOTP.algorithm,
      digits: TOTP.digits,
      period: TOTP.period,
      epoch: Math.floor((opts.at ?? new Date()).getTime() / 1000),
      epochTolerance: TOTP.period * TOTP.driftSteps,
      ...(opts.afterStep != null ? { afterTimeStep: opts.afterStep } : {}),
    });
    return result.valid && "timeStep" in result ? { ok: true, step: result.timeStep } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** AAD binding a sealed TOTP secret to its user: copied to another user's row, it fails to open. */
export const totpAad = (userId: string): string => `ringbearer:totp:v1:${userId}`;

export const sealTotpSecret = (kek: Buffer, userId: string, secret: string): string =>
  sealSecret(kek, secret, totpAad(userId));

export const openTotpSecret = (kek: Buffer, userId: string, sealed: string): string =>
  openSecret(kek, sealed, totpAad(userId));
