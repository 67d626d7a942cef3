/**
 * Test support for code that calls the vendors: points Roster's env at an
 * in-process sandbox. What a filter must return is in ./expected.ts.
 */
import { resetEnvCache } from "@/lib/env.mjs";
import { DEFAULTS } from "@/sandbox/data";
import type { Sandbox } from "@/sandbox/server";

export const TELNYX_KEY: string = DEFAULTS.telnyxKey;
export const OPENAI_KEY: string = DEFAULTS.openaiKey;

/** Sets the vendor env for `sandbox` (plus `overrides`; undefined unsets) and drops the cached env. */
export function pointEnvAt(
  sandbox: Pick<Sandbox, "url">,
  overrides: Record<string, string | undefined> = {},
): void {
  const values: Record<string, string | undefined> = {
    TELNYX_API_KEY: TELNYX_KEY,
    TELNYX_BASE_URL: `${sandbox.url}/v2`,
    OPENAI_ADMIN_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${sandbox.url}/v1`,
    UPSTREAM_TIMEOUT_MS: "5000",
    UPSTREAM_MAX_RETRIES: "2",
    UPSTREAM_MAX_RETRY_WAIT_MS: "2000",
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}
