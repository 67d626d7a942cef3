import "server-only";

import { serverEnv, type Env } from "@/lib/server-env";

import { notConfigured } from "./errors";
import { upstreamFetch } from "./fetch";
import { upstreamSettings, type VendorInfo } from "./settings";

/** The options every official SDK client gets from Roster: its fetch, timeout and retries, no logs. */
export interface SdkCommonOptions {
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  logLevel: "off";
}

/**
 * A vendor's SDK client, built once per validated env (tests re-point it
 * with `resetEnvCache`) with Roster's own fetch and retry settings; 503
 * `provider_not_configured` while its key is missing. `build` passes every
 * credential explicitly, so the SDK reads none from `process.env`.
 */
export function sdkClient<C>(input: {
  vendor: VendorInfo;
  key(env: Env): string | undefined;
  build(key: string, env: Env, common: SdkCommonOptions): C;
}): { get(): C; isConfigured(): boolean } {
  let cached: { env: Env; client: C } | undefined;
  return {
    get() {
      const env = serverEnv();
      const key = input.key(env);
      if (!key) throw notConfigured(input.vendor);
      if (cached?.env !== env) {
        const settings = upstreamSettings();
        const common: SdkCommonOptions = {
          timeout: settings.timeoutMs,
          maxRetries: settings.maxRetries,
          fetch: upstreamFetch(settings),
          logLevel: "off",
        };
        cached = { env, client: input.build(key, env, common) };
      }
      return cached.client;
    },
    isConfigured: () => Boolean(input.key(serverEnv())),
  };
}
