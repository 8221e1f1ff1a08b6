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
  switch (pg?.code) {
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
    default:
      return error;
  }
}
