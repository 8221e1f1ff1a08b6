import { AppError } from "@/lib/errors";
import { TargetError } from "@/lib/targets/types";

type PgError = { code?: string; message?: string; constraint_name?: string };

/** Maps what PostgreSQL refused to a typed error; anything unknown is rethrown (logged, shown as internal). */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  // A deployment target's failure (its message is safe to show: never a value or a secret) that reached an
  // action or route: a refusal (e.g. a file location outside the organization's folder) or an outage.
  if (error instanceof TargetError)
    return new AppError(error.code === "refused" ? "refused:target" : "unavailable:target", {
      form: [error.message],
    });
  // Drizzle wraps the driver's error ("Failed query: …") and keeps it as the cause.
  const outer = error as PgError & { cause?: PgError };
  const pg = outer?.code ? outer : (outer?.cause ?? outer);
  const code = typeof pg?.code === "string" ? pg.code : "";
  switch (code) {
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
    case "ECONNREFUSED":
    case "CONNECTION_CLOSED":
    case "CONNECTION_ENDED":
    case "CONNECT_TIMEOUT":
    case "57P01":
    case "57P03":
      return new AppError("unavailable:database");
  }
  // The last line behind input validation: data the database refused as data (class 22: a string too long,
  // a NUL or invalid byte, text that is not a number or a date, a date out of range, a value out of range…)
  // and program limits (class 54: too many parameters, too complex) are the caller's input, never a 500.
  if (code.startsWith("22") || code.startsWith("54"))
    return new AppError("validation", {
      form: ["A value is too long, too large or not in a form it can be stored in."],
    });
  return error;
}
