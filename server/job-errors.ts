import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { toAppError } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { log as serverLog } from "./log";

/**
 * How a background job fails: pg-boss stores what a handler throws as the job's output (in `pgboss.job`,
 * readable by the app role), so a handler throws only a JobFailure — a code and a message for an operator —
 * and the details (no values, no query parameters) go to the server log.
 */
export class JobFailure extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "JobFailure";
    this.code = code;
  }

  /** What pg-boss stores (serialize-error uses toJSON): no stack, no cause. */
  toJSON() {
    return { code: this.code, message: this.message };
  }
}

/** The failure a job stores for anything it threw: our own codes as they are; the database's by kind only. */
export function jobFailure(event: string, error: unknown): JobFailure {
  if (error instanceof JobFailure) return error;
  if (error instanceof AppError) return new JobFailure(error.code, error.message);
  const mapped = toAppError(error);
  if (mapped instanceof AppError && mapped.code === "unavailable:database")
    return new JobFailure(mapped.code, "The database was unavailable; the job runs again when it is back");
  return new JobFailure("internal", `The ${event} job failed; the server log has the details`);
}

type Described = { name?: string; message: string; code?: string; cause?: string; queue?: string };

/**
 * Name, first line, code and database cause of an error, or of what pg-boss emits (`{ ...error, message,
 * stack, queue }`, not an Error): the first line only, so drizzle's "Failed query: …" keeps its SQL but not
 * the "params:" line after it, which could carry data; no stack.
 */
export function errorSummary(error: unknown): Described {
  const e = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: { message?: unknown; code?: unknown };
    queue?: unknown;
  };
  const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const firstLine = (v: unknown) => text(v)?.split("\n")[0];
  const summary: Described = {
    name: text(e.name),
    message: firstLine(e.message) ?? (typeof error === "string" ? error : "an error without a message"),
    code: text(e.code) ?? text(e.cause?.code),
    cause: firstLine(e.cause?.message),
    queue: text(e.queue),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as Described;
}

/** Runs a job's work; a failure is logged once (no values) and rethrown as a JobFailure. */
export async function runJob<T>(
  event: string,
  run: () => Promise<T>,
  logger: Logger = serverLog,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = jobFailure(event, error);
    logger.error({ event, code: failure.code, error: errorSummary(error) }, `${event} job failed`);
    throw failure;
  }
}

/** Logs pg-boss's `error` and `warning` events with their message and code (they are plain objects). */
export function watchQueue(boss: Pick<PgBoss, "on">, logger: Logger = serverLog) {
  boss.on("error", (error) => logger.error({ event: "jobs", error: errorSummary(error) }, "job queue error"));
  boss.on("warning", (warning) =>
    logger.warn({ event: "jobs", warning: errorSummary(warning) }, "job queue warning"),
  );
}
