import { z } from "zod";

/** A control character other than tab, line feed and carriage return (NUL included). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** Text a person can type: no control characters (NUL included) and no lone UTF-16 surrogates. */
const typed = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasControl(v), "control character")
    .refine((v) => v.isWellFormed(), "lone surrogate");

/**
 * What next-auth's Credentials provider receives (`email`, `password`, and `totp` for users with two-factor
 * authentication). Anything else — missing, over-long, NUL bytes, broken UTF-16 — is `invalid` before it
 * reaches the database.
 */
export const signInInput = z.object({
  email: typed(320)
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().min(3).max(320)),
  password: typed(1024).pipe(z.string().min(1)),
  totp: z.preprocess((v) => v ?? "", typed(32)),
});

export type SignInInput = z.infer<typeof signInInput>;

/** The codes a sign-in answers with (next-auth puts them in the `error` query parameter). */
export const SIGN_IN_CODES = [
  "invalid",
  "rate_limited",
  "totp_required",
  "totp_invalid",
  "unavailable",
] as const;
export type SignInCode = (typeof SIGN_IN_CODES)[number];
