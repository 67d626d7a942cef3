import "server-only";

import { setImmediate as nextTurn } from "node:timers/promises";

import type { UpstreamSettings } from "./settings";

/** The fetch both SDK clients use, and how long a vendor asks Roster to wait. */
/** Used when the vendor says to retry later without saying when. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
/** What Roster passes on as its own `Retry-After` at most, whatever the vendor sent (`1e20`). */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

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

export function isRetryableStatus(status: number): boolean {
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

/**
 * Lets vendor calls just started reach the wire before this thread is held:
 * an SDK passes a call to `fetch` a few awaits after it is made, and fetch
 * writes the request to its socket a turn of the event loop after that. Two
 * turns do both (the adapters' tests watch the request's headers leave; with
 * one turn the next request left only after the caller's work with the page),
 * so a caller that then compares and stores a page (a sync; on PGlite in this
 * thread) or writes CSV does not hold the next request back.
 */
export async function letCallsOut(): Promise<void> {
  await nextTurn();
  await nextTurn();
}
