import "server-only";

import { databaseUnavailableReason } from "@/lib/db/unavailable";
import type { ApiErrorBody, ApiErrorCode } from "@/lib/users/schema";
import { jsonResponse } from "./json";

const STATUS: Record<ApiErrorCode, number> = {
  invalid_query: 400,
  invalid_path: 400,
  invalid_cursor: 400,
  invalid_body: 400,
  review_incomplete: 409,
  review_closed: 409,
  empty_scope: 400,
  unauthenticated: 401,
  unknown_provider: 404,
  not_found: 404,
  method_not_allowed: 405,
  forbidden_origin: 403,
  directory_empty: 409,
  sync_running: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_roster: 400,
  cursor_expired: 409,
  list_changed: 409,
  too_many_requests: 429,
  too_many_exports: 429,
  internal_error: 500,
  database_unavailable: 503,
  upstream_auth_failed: 502,
  upstream_invalid_response: 502,
  provider_not_configured: 503,
  upstream_unavailable: 503,
  upstream_timeout: 504,
};

/**
 * The one error type of Roster's API. `message` is shown to admins as is, so it
 * is plain words and never holds a key or a vendor's raw body; `detail` is for
 * the server log only.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly detail: string | undefined;
  /** Fields the body carries beside `code` and `message` (a roster's row errors). */
  readonly extra: Record<string, unknown>;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: {
      retryAfterSeconds?: number;
      detail?: string;
      cause?: unknown;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.detail = options.detail;
    this.extra = options.extra ?? {};
  }

  toResponse(): Response {
    const body: ApiErrorBody = { error: { ...this.extra, code: this.code, message: this.message } };
    const headers = new Headers({ "Cache-Control": "no-store" });
    if (this.retryAfterSeconds !== undefined) {
      headers.set("Retry-After", String(Math.max(1, Math.ceil(this.retryAfterSeconds))));
    }
    return jsonResponse(body, { status: this.status, headers });
  }
}

/** What a 503 `database_unavailable` asks a client to wait: about a database restart. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** A 503 `database_unavailable` saying `message`, with the `Retry-After` of a database restart. */
export function databaseUnavailable(message: string): Response {
  return new ApiError("database_unavailable", message, {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  }).toResponse();
}

/**
 * Turns anything thrown inside a handler into a response: an ApiError as
 * itself, the database out of reach as a 503 `database_unavailable`, anything
 * else as a generic 500 whose details stay in the server log.
 * Pass the request so that an abort caused by the caller leaving is not logged as a fault.
 */
export function errorResponse(error: unknown, context: string, request?: Request): Response {
  // The caller went away (closed tab, cancelled fetch): nobody reads this, and it is not a fault.
  if (request?.signal.aborted && !(error instanceof ApiError)) {
    return new Response(null, { status: 499, headers: { "Cache-Control": "no-store" } });
  }
  if (error instanceof ApiError) {
    if (error.status >= 500) {
      console.warn(`[roster] ${context}: ${error.code}${error.detail ? ` (${error.detail})` : ""}`);
    }
    return error.toResponse();
  }
  // The database stopped or restarting is no fault of this request: a 503 an operator can read in
  // the log and a client can retry, not "something went wrong".
  const unreachable = databaseUnavailableReason(error);
  if (unreachable !== null) {
    console.warn(`[roster] ${context}: database_unavailable (${unreachable})`);
    return databaseUnavailable("Roster's database is not answering. Try again in a moment.");
  }
  const name = error instanceof Error ? error.name : typeof error;
  console.error(`[roster] ${context}: unexpected ${name}`);
  return new ApiError(
    "internal_error",
    "Something went wrong on the server. Try again.",
  ).toResponse();
}

export function unauthenticated(): ApiError {
  return new ApiError("unauthenticated", "Sign in as an admin to use this API.");
}
