import { DecryptionError } from "@/db/vault";
import { AppError } from "@/lib/errors";
import { TargetError } from "@/lib/targets/types";
import { limitMessage } from "@/lib/usage-limits";

type PgError = { code?: string; message?: string; constraint_name?: string };

/** The driver's and the socket's codes for "no usable connection" (postgres.js names its own in capitals). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** The driver's or PostgreSQL's code of an error ("" when it has none): for logs, never shown to users. */
export const databaseErrorCode = (error: unknown): string => {
  // Drizzle wraps the driver's error ("Failed query: …") and keeps it as the cause.
  const outer = error as PgError & { cause?: PgError };
  const pg = outer?.code ? outer : (outer?.cause ?? outer);
  return typeof pg?.code === "string" ? pg.code : "";
};

/** The DETAIL a refusal of ours carries (RAISE … USING DETAIL): for the caller, when the code says it is safe. */
const databaseErrorDetail = (error: unknown): string | undefined => {
  const outer = error as PgError & { detail?: string; cause?: PgError & { detail?: string } };
  const pg = outer?.code ? outer : (outer?.cause ?? outer);
  return typeof pg?.detail === "string" ? pg.detail : undefined;
};

const limitDetail = (detail: string | undefined): { limit: string; max: number } => {
  try {
    const parsed = JSON.parse(detail ?? "{}") as { limit?: unknown; max?: unknown };
    return { limit: String(parsed.limit ?? "items"), max: Number(parsed.max ?? 0) };
  } catch {
    return { limit: "items", max: 0 };
  }
};

/**
 * True when the database could not be used at all — refused, dropped, timed out, shutting down or starting,
 * out of connections, a statement cancelled by `statement_timeout` — as opposed to a refusal of the query
 * itself. Such a failure is never "no session", "not a member" or "not found": it is `unavailable:database`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith("08") || // connection exception
    code === "57P01" || // admin shutdown
    code === "57P02" || // crash shutdown
    code === "57P03" || // cannot connect now (starting up, shutting down)
    code === "57P05" || // idle session timeout
    code === "57014" || // statement_timeout (or a cancel)
    code === "25P03" || // idle_in_transaction_session_timeout
    code === "53300" // too many connections
  );
}

/** Maps what PostgreSQL refused to a typed error; anything unknown is rethrown (logged, shown as internal). */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  // A deployment target's failure (its message is safe to show: never a value or a secret) that reached an
  // action or route: a refusal (e.g. a file location outside the organization's folder) or an outage.
  if (error instanceof TargetError)
    return new AppError(error.code === "refused" ? "refused:target" : "unavailable:target", {
      form: [error.message],
    });
  // A ciphertext whose key is revoked or below the minimum decryption version (the message names no value).
  if (error instanceof DecryptionError) return new AppError("conflict:key_unavailable");
  const code = databaseErrorCode(error);
  switch (code) {
    case "RBK01":
      return new AppError("conflict:key_rotated");
    case "RBK02":
      return new AppError("conflict:key_in_use");
    case "RBK03":
      return new AppError("forbidden");
    case "RBW01":
      return new AppError("locked:wedding_hours");
    case "23505":
      return new AppError("conflict:exists");
    case "42501":
      return new AppError("forbidden");
    case "RBA01":
    case "RBR02":
      return new AppError("forbidden");
    case "RBR01":
      return new AppError("approval_required");
    // The organization was deleted (migration 0051): nothing of it exists for anyone any more.
    case "RBO01":
      return new AppError("not_found");
    // Erasure (migration 0052): an only owner (the organization's name is theirs to see), an operator, gone.
    case "RBE01":
      return new AppError("conflict:sole_owner", undefined, { organization: databaseErrorDetail(error) });
    // A creation past the organization's usage limit (migration 0053): which limit, and what to do.
    case "RBL01": {
      const { limit, max } = limitDetail(databaseErrorDetail(error));
      return new AppError("limit:reached", { form: [limitMessage(limit, max)] }, { limit, max });
    }
    case "RBE02":
      return new AppError("conflict:operator");
    case "RBE03":
      return new AppError("not_found");
  }
  if (isDatabaseUnavailable(error)) return new AppError("unavailable:database");
  // The last line behind input validation: data the database refused as data (class 22: a string too long,
  // a NUL or invalid byte, text that is not a number or a date, a date out of range, a value out of range…)
  // and program limits (class 54: too many parameters, too complex) are the caller's input, never a 500.
  if (code.startsWith("22") || code.startsWith("54"))
    return new AppError("validation", {
      form: ["A value is too long, too large or not in a form it can be stored in."],
    });
  return error;
}
