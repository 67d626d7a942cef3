import "server-only";

import { ApiError } from "@/lib/api/errors";

import {
  DEFAULT_RETRY_AFTER_MS,
  isRetryableStatus,
  MAX_RETRY_AFTER_SECONDS,
  retryAfterMs,
} from "./fetch";
import type { SdkErrorClasses, VendorInfo } from "./settings";

/** SDK and vendor failures mapped to Roster's ApiError codes. */

/** A vendor error code (`10009`, `invalid_api_key`) from an SDK error body, safe to log. */
function vendorErrorCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  let code: unknown;
  if ("errors" in body && Array.isArray(body.errors)) {
    const first: unknown = body.errors[0];
    code = typeof first === "object" && first !== null && "code" in first ? first.code : undefined;
  } else if ("code" in body) {
    code = body.code;
  }
  if (typeof code === "number") code = String(code);
  return typeof code === "string" && /^[\w.-]{1,64}$/.test(code) ? code : undefined;
}

function requestId(headers: Headers | undefined | null): string | undefined {
  const id = headers?.get("x-request-id");
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : undefined;
}

export function describeFailure(
  vendor: VendorInfo,
  status: number | string,
  headers?: Headers | null,
  body?: unknown,
): string {
  const code = vendorErrorCode(body);
  const request = requestId(headers);
  return `${vendor.id} ${status}${code ? ` code=${code}` : ""}${request ? ` request=${request}` : ""}`;
}

export function notConfigured(vendor: VendorInfo): ApiError {
  return new ApiError(
    "provider_not_configured",
    `${vendor.label} is not configured: set ${vendor.keyVar} on the server.`,
  );
}

export function unavailable(
  vendor: VendorInfo,
  waitMs: number | undefined,
  detail: string,
  cause?: unknown,
): ApiError {
  return new ApiError(
    "upstream_unavailable",
    `${vendor.label} is not answering normally right now (rate limited or failing). Try again shortly.`,
    {
      retryAfterSeconds: Math.min(
        MAX_RETRY_AFTER_SECONDS,
        Math.max(1, Math.ceil((waitMs ?? DEFAULT_RETRY_AFTER_MS) / 1000)),
      ),
      detail,
      cause,
    },
  );
}

export function timedOut(vendor: VendorInfo, detail: string, cause?: unknown): ApiError {
  return new ApiError("upstream_timeout", `${vendor.label} did not answer in time. Try again.`, {
    detail,
    cause,
  });
}

export function invalidResponse(vendor: VendorInfo, detail: string): ApiError {
  return new ApiError(
    "upstream_invalid_response",
    `${vendor.label} sent a response Roster could not read.`,
    { detail },
  );
}

/**
 * Users were added or removed while a listing was read page by page, so rows
 * may have been skipped or repeated: the one answer for the list and the
 * export alike (the dashboard maps the code to its own words).
 */
export function listChanged(vendor: VendorInfo, detail: string): ApiError {
  return new ApiError(
    "list_changed",
    `The ${vendor.label} user list changed while Roster was reading it (users were added or removed). Start again from the top.`,
    { detail: `${vendor.id} list changed: ${detail}` },
  );
}

export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/**
 * Maps what an SDK call threw to an `ApiError`. The caller's own abort is
 * returned unchanged: nobody is waiting for an answer then.
 */
export function toApiError(error: unknown, vendor: VendorInfo, sdk: SdkErrorClasses): unknown {
  if (error instanceof ApiError || error instanceof sdk.APIUserAbortError) return error;
  if (error instanceof sdk.APIConnectionTimeoutError || isTimeoutError(error)) {
    return timedOut(vendor, describeFailure(vendor, "timeout"), error);
  }
  if (error instanceof sdk.APIConnectionError) {
    return unavailable(vendor, undefined, describeFailure(vendor, "connection failed"), error);
  }
  if (error instanceof sdk.APIError && typeof error.status === "number") {
    const { status, headers } = error;
    const detail = describeFailure(vendor, status, headers, error.error);
    if (status === 401 || status === 403) {
      return new ApiError(
        "upstream_auth_failed",
        `${vendor.label} rejected Roster's API key (HTTP ${status}). Check ${vendor.keyVar} on the server.`,
        { detail, cause: error },
      );
    }
    if (status === 408) return timedOut(vendor, detail, error);
    if (isRetryableStatus(status)) return unavailable(vendor, retryAfterMs(headers), detail, error);
    return new ApiError(
      "upstream_invalid_response",
      `${vendor.label} refused Roster's request (HTTP ${status}).`,
      { detail, cause: error },
    );
  }
  return error;
}
