import "server-only";

import { ApiError } from "@/lib/api/errors";

import { retryAfterMs } from "./fetch";
import { toApiError } from "./errors";
import type { SdkErrorClasses, UpstreamSettings, VendorInfo } from "./settings";

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
