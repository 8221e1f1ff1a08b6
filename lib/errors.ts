/** Typed error codes: each maps to a user-facing message and an HTTP status. Database details never leak. */
export const ERROR_CODES = {
  unauthorized: { status: 401, message: "Sign in to continue." },
  forbidden: { status: 403, message: "You do not have permission to do that." },
  not_found: { status: 404, message: "It no longer exists, or you cannot see it." },
  validation: { status: 422, message: "Some fields need attention." },
  "conflict:version": {
    status: 409,
    message: "Someone changed this since you opened it. Nothing was overwritten.",
  },
  "conflict:exists": { status: 409, message: "That name is already taken." },
  "conflict:decided": {
    status: 409,
    message: "This change request was already decided or withdrawn. Nothing was changed.",
  },
  "conflict:no_change": {
    status: 409,
    message: "Nothing would change: that is already the current state. Nothing was requested or written.",
  },
  "conflict:running": {
    status: 409,
    message: "A push to this target is already queued or running. Wait for it to finish, then try again.",
  },
  "conflict:reference": {
    status: 409,
    message: "A value refers to another that cannot be resolved now; the details name it. Nothing was read.",
  },
  "conflict:inactive": {
    status: 409,
    message: "This target is deactivated: activate it to scan or push.",
  },
  "conflict:rotation": {
    status: 409,
    message: "A key rotation is already running. Wait for it to finish, then start another.",
  },
  "conflict:key_in_use": {
    status: 409,
    message: "That key version still encrypts data, or is still in use. Nothing was changed.",
  },
  "conflict:key_rotated": {
    status: 409,
    message:
      "The organization's encryption key changed while this was saved. Nothing was written; save again.",
  },
  "conflict:key_unavailable": {
    status: 409,
    message:
      "This was encrypted with a key version that is revoked or below the minimum decryption version, so it cannot be read.",
  },
  "conflict:no_window": {
    status: 409,
    message: "No wedding hours start within the next 7 days, so there is nothing to check yet.",
  },
  "limit:reached": {
    status: 409,
    message:
      "This organization has reached one of its limits, so nothing was created. Reading is never limited.",
  },
  "conflict:sole_owner": {
    status: 409,
    message:
      "You are the only owner of an organization: make another member its owner, or delete it, first. Nothing was erased.",
  },
  "conflict:operator": {
    status: 409,
    message:
      "An installation operator cannot be erased: revoke the operator grant first (npm run ops:grant -- --revoke). Nothing was erased.",
  },
  "refused:target": {
    status: 422,
    message: "The deployment target refused this; the details say why. Nothing was changed.",
  },
  "unavailable:target": {
    status: 502,
    message: "The deployment target could not be reached or did not answer as expected.",
  },
  approval_required: {
    status: 403,
    message: "This change needs a reviewer's approval: send it as a change request with a reason.",
  },
  "invalid:change_request": {
    status: 422,
    message:
      "This change request's stored content is not valid, so it was not applied. Reject it and ask again.",
  },
  "locked:wedding_hours": {
    status: 423,
    message: "This environment is read-only during wedding hours. Emergencies need break-glass.",
  },
  "gone:invitation": { status: 410, message: "This invitation can no longer be used." },
  reauth_required: {
    status: 401,
    message: "Confirm it is you: enter your password (or authentication code) to continue.",
  },
  "token:invalid": {
    status: 401,
    message: "This token is not valid. Check that it was copied whole, or create a new one.",
  },
  "token:expired": { status: 401, message: "This token has expired. Create a new one." },
  "token:revoked": { status: 401, message: "This token was revoked. Create a new one." },
  precondition_required: {
    status: 428,
    message:
      'Send If-Match with the version you read ("3"), or If-None-Match: * to set a value that does not exist yet.',
  },
  signature_invalid: {
    status: 400,
    message: "The webhook's signature does not verify. Nothing was processed.",
  },
  rate_limited: { status: 429, message: "Too many attempts. Wait a few minutes, then try again." },
  too_large: { status: 413, message: "The request is too large. Nothing was changed." },
  "unavailable:database": {
    status: 503,
    message: "The database is not answering. Nothing was changed; try again shortly.",
  },
  internal: { status: 500, message: "Something went wrong on our side. Nothing was changed." },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const messageFor = (code: ErrorCode): string => ERROR_CODES[code].message;
export const statusFor = (code: ErrorCode): number => ERROR_CODES[code].status;

/** The digest of a page's error when the database did not answer (see AppError.digest). */
export const UNAVAILABLE_DIGEST = "unavailable:database";

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fieldErrors?: Record<string, string[]>;
  /** Safe details for the caller (e.g. the current version in a conflict); never a value. */
  readonly meta?: Record<string, unknown>;
  /**
   * What a page's error boundary receives of an error thrown while rendering (Next keeps a digest that is
   * set, and sends nothing else): set for the codes a page tells apart, e.g. `unavailable:database`.
   */
  readonly digest?: string;

  constructor(code: ErrorCode, fieldErrors?: Record<string, string[]>, meta?: Record<string, unknown>) {
    super(messageFor(code));
    this.name = "AppError";
    this.code = code;
    this.status = statusFor(code);
    this.fieldErrors = fieldErrors;
    this.meta = meta;
    if (code === UNAVAILABLE_DIGEST) this.digest = UNAVAILABLE_DIGEST;
  }
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: { code: string; message: string; meta?: Record<string, unknown> };
      fieldErrors?: Record<string, string[]>;
    };

/**
 * One line for an operator from anything thrown or emitted: an Error's message, a plain object's `message`
 * (pg-boss emits `{ ...error, message, stack }`), a string as it is — never "undefined" or "[object Object]".
 */
export function describeError(error: unknown): string {
  if (typeof error === "string" && error.trim()) return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === "string" && message.trim()) return message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code) return `error ${code}`;
  if (error instanceof Error) return error.name;
  return "an error without a message";
}
