import "server-only";

import type { z } from "zod";

import { ApiError } from "@/lib/api/errors";
import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";

/**
 * What both adapters share about talking to a vendor: the fetch wrapper the
 * SDKs are built with, the mapping of SDK errors to Roster's `ApiError`, body
 * validation, and the retry pacing of exports.
 */

export interface VendorInfo {
  id: ProviderId;
  label: string;
  /** The env variable holding the key: named in error messages, never its value. */
  keyVar: string;
}

/** The error classes of one official SDK (telnyx and openai are both Stainless-generated). */
export interface SdkErrorClasses {
  APIError: new (
    ...args: never[]
  ) => Error & { status: number | undefined; headers: Headers | undefined; error: unknown };
  APIConnectionError: new (...args: never[]) => Error;
  APIConnectionTimeoutError: new (...args: never[]) => Error;
  APIUserAbortError: new (...args: never[]) => Error;
}

export interface UpstreamSettings {
  timeoutMs: number;
  maxRetries: number;
  maxRetryWaitMs: number;
  listDeadlineMs: number;
}

export function upstreamSettings(): UpstreamSettings {
  const env = serverEnv();
  return {
    timeoutMs: env.UPSTREAM_TIMEOUT_MS,
    maxRetries: env.UPSTREAM_MAX_RETRIES,
    maxRetryWaitMs: env.UPSTREAM_MAX_RETRY_WAIT_MS,
    listDeadlineMs: env.UPSTREAM_LIST_DEADLINE_MS,
  };
}

/** Used when the vendor says to retry later without saying when. */
const DEFAULT_RETRY_AFTER_MS = 5_000;
/** What Roster passes on as its own `Retry-After` at most, whatever the vendor sent (`1e20`). */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * How long an official SDK will sleep before its next attempt, read the way
 * both SDKs read it: `retry-after-ms` through `parseFloat` (0 or unreadable
 * falls through), else `retry-after` through `parseFloat` as seconds (so
 * `3600s` is an hour), else as an HTTP date. Undefined: the SDK backs off on
 * its own. An unreadable date is a zero wait, as in the SDKs; never negative.
 */
export function retryAfterMs(headers: Headers | undefined | null): number | undefined {
  if (!headers) return undefined;
  let wait: number | undefined;
  const ms = headers.get("retry-after-ms");
  if (ms) {
    const value = Number.parseFloat(ms);
    if (!Number.isNaN(value)) wait = value;
  }
  const header = headers.get("retry-after");
  if (header && !wait) {
    const seconds = Number.parseFloat(header);
    wait = Number.isNaN(seconds) ? Date.parse(header) - Date.now() : seconds * 1000;
  }
  if (wait === undefined) return undefined;
  return Number.isNaN(wait) ? 0 : Math.max(0, wait);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The `fetch` both SDK clients use. It bounds each attempt, body included
 * (the SDKs' own timeout stops at the headers), and it makes the SDKs' retry
 * decision Roster's: the vendor's `x-should-retry` is dropped, so the SDKs
 * retry by status alone, exactly as exports do (`ExportPacer`), and any
 * non-OK answer asking for a longer wait than `maxRetryWaitMs` is marked
 * `x-should-retry: false`. The Telnyx SDK would otherwise sleep as long as the
 * vendor asks; instead it gives up at once and Roster answers 503 with the
 * vendor's `Retry-After`.
 */
export function upstreamFetch(
  settings: Pick<UpstreamSettings, "timeoutMs" | "maxRetryWaitMs">,
  inner: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await inner(input, { ...init, signal });
    if (response.ok) return response;
    const wait = retryAfterMs(response.headers);
    const overCap = wait !== undefined && wait > settings.maxRetryWaitMs;
    if (!overCap && !response.headers.has("x-should-retry")) return response;
    const headers = new Headers(response.headers);
    headers.delete("x-should-retry");
    if (overCap) headers.set("x-should-retry", "false");
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

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

function describe(
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

function unavailable(
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

function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/**
 * Maps what an SDK call threw to an `ApiError`. The caller's own abort is
 * returned unchanged: nobody is waiting for an answer then.
 */
export function toApiError(error: unknown, vendor: VendorInfo, sdk: SdkErrorClasses): unknown {
  if (error instanceof ApiError || error instanceof sdk.APIUserAbortError) return error;
  if (error instanceof sdk.APIConnectionTimeoutError || isTimeoutError(error)) {
    return timedOut(vendor, describe(vendor, "timeout"), error);
  }
  if (error instanceof sdk.APIConnectionError) {
    return unavailable(vendor, undefined, describe(vendor, "connection failed"), error);
  }
  if (error instanceof sdk.APIError && typeof error.status === "number") {
    const { status, headers } = error;
    const detail = describe(vendor, status, headers, error.error);
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

/**
 * Reads and validates a vendor body. Only the failing paths and zod codes go
 * to the log, never the body's values.
 */
export async function readVendorBody<S extends z.ZodType>(
  response: Response,
  schema: S,
  vendor: VendorInfo,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isTimeoutError(error))
      throw timedOut(vendor, describe(vendor, "timeout reading body", response.headers), error);
    if (error instanceof Error && error.name === "AbortError") throw error;
    throw unavailable(
      vendor,
      undefined,
      describe(vendor, "body read failed", response.headers),
      error,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidResponse(
      vendor,
      describe(vendor, `${response.status} body is not JSON`, response.headers),
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`)
      .join("; ");
    throw invalidResponse(
      vendor,
      `${describe(vendor, response.status, response.headers)} invalid body (${issues})`,
    );
  }
  return parsed.data;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8_000) * (1 - Math.random() * 0.25);
}

/**
 * Retries and pacing for exports, which make their own requests (SDK retries
 * off) so that they can see the vendor pushing back: on a 429 or 503 every
 * worker pauses for the vendor's `Retry-After` and the number of pages in
 * flight halves; it grows back by one after a run of successes (AIMD).
 */
export class ExportPacer {
  readonly #max: number;
  #limit: number;
  #streak = 0;
  #pausedUntil = 0;

  constructor(
    private readonly options: {
      vendor: VendorInfo;
      sdk: SdkErrorClasses;
      settings: UpstreamSettings;
      maxConcurrency: number;
      signal: AbortSignal;
    },
  ) {
    this.#max = Math.max(1, Math.floor(options.maxConcurrency));
    this.#limit = this.#max;
  }

  /** Vendor requests allowed in flight now. */
  get concurrency(): number {
    return this.#limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const { vendor, sdk, settings, signal } = this.options;
    for (let attempt = 0; ; attempt++) {
      const pause = this.#pausedUntil - Date.now();
      if (pause > 0) await sleep(pause, signal);
      if (signal.aborted) throw signal.reason;
      try {
        const value = await task();
        if (++this.#streak >= this.#limit && this.#limit < this.#max) {
          this.#limit++;
          this.#streak = 0;
        }
        return value;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const mapped = toApiError(error, vendor, sdk);
        const retryable =
          mapped instanceof ApiError &&
          (mapped.code === "upstream_unavailable" || mapped.code === "upstream_timeout");
        if (!retryable || attempt >= settings.maxRetries) throw mapped;
        // The adapters map SDK errors themselves; the SDK's own error stays as the cause.
        const source = error instanceof ApiError ? error.cause : error;
        const status = source instanceof sdk.APIError ? source.status : undefined;
        const asked = source instanceof sdk.APIError ? retryAfterMs(source.headers) : undefined;
        if (asked !== undefined && asked > settings.maxRetryWaitMs) throw mapped;
        const wait = asked ?? backoffMs(attempt);
        if (status === 429 || status === 503) {
          this.#limit = Math.max(1, Math.floor(this.#limit / 2));
          this.#streak = 0;
          this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
        }
        await sleep(wait, signal);
      }
    }
  }
}

/**
 * A signal of its own for one SDK call. The SDKs add an abort listener to the
 * signal they are given on every attempt and never remove it; a long export or
 * scan sharing one signal would pile them up.
 */
export function requestSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal && AbortSignal.any([signal]);
}

/** An AbortController that follows `parent` and can also be aborted on its own (to stop in-flight work). */
export function childController(parent: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
}

/**
 * The overall deadline of one list request. `signal` follows the caller and
 * the deadline; `expired()` tells the deadline apart from the caller leaving.
 */
export function listDeadline(
  parent: AbortSignal | undefined,
  ms: number,
): { signal: AbortSignal; expired: () => boolean } {
  const timeout = AbortSignal.timeout(ms);
  return {
    signal: parent ? AbortSignal.any([parent, timeout]) : timeout,
    expired: () => timeout.aborted && !parent?.aborted,
  };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it
 * aborts: the SDKs check their signal before each attempt but not while they
 * sleep between retries, which a deadline must not wait out.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
