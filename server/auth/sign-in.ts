import "server-only";
import type { Database } from "@/db/client";
import { BEGIN_RETRY_MS } from "@/db/context";
import { isDatabaseUnavailable } from "@/db/errors";
import { type SignInCode, signInInput } from "@/lib/validation/sign-in";
import { login } from "@/server/auth/auth";
import { log } from "@/server/log";

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string; sid: string } }
  | { ok: false; code: SignInCode };

/** What may be logged about an unexpected error: its kind, never its message (a query's text and parameters). */
const errorKind = (error: unknown) => {
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  return { name: e?.name, code: e?.code ?? e?.cause?.code };
};

/**
 * next-auth's `authorize`, made total: every way a sign-in can end is one of the fixed codes (`invalid`,
 * `rate_limited`, `totp_required`, `totp_invalid`, `unavailable`) or a user. Bad input stops at zod; the
 * database being down, or anything unexpected, is `unavailable` — a driver's message (SQL text and its
 * parameters) never reaches next-auth, which would put it in the redirect URL, nor the logs. A sign-in that
 * found the database unusable is tried once more a moment later: just after a database restart the pool holds
 * connections that fail once, and the rate limiter's counters are written through the pool outside any
 * transaction, where contextTransaction's retry does not reach. (A retry may count one more attempt against
 * the limits; it never signs anyone in who should not be.)
 */
export async function authorizeCredentials(
  database: Database,
  credentials: Record<string, unknown> | undefined,
  request: { ip?: string; userAgent?: string },
): Promise<SignInOutcome> {
  const parsed = signInInput.safeParse(credentials ?? {});
  if (!parsed.success) {
    log.info({ event: "login_failed", reason: "malformed" }, "sign-in refused");
    return { ok: false, code: "invalid" };
  }
  try {
    const input = { ...parsed.data, ip: request.ip, userAgent: request.userAgent };
    const result = await login(database, input).catch(async (error) => {
      if (!isDatabaseUnavailable(error)) throw error;
      await new Promise((r) => setTimeout(r, BEGIN_RETRY_MS));
      return login(database, input);
    });
    if (result.ok) return { ok: true, user: { ...result.user, sid: result.sessionId } };
    if (result.reason === "totp_required") log.info({ event: "login_code_required" }, "sign-in needs a code");
    else log.info({ event: "login_failed", reason: result.reason }, "sign-in refused");
    return { ok: false, code: result.reason };
  } catch (error) {
    log.error({ event: "login_error", error: errorKind(error) }, "sign-in could not be checked");
    return { ok: false, code: "unavailable" };
  }
}
