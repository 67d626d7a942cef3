import "server-only";

import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";

/** Who a vendor is to Roster's error messages, its SDK's error classes, and the retry settings. */

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
