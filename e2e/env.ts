/**
 * Ports, secrets and the app's environment for end-to-end runs. Every value can
 * be overridden from the shell so that several runs can share one machine.
 */
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4010);
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

/** Must match the sandbox's defaults (sandbox/data.ts DEFAULTS). */
export const SANDBOX_ADMIN_TOKEN = "sandbox-admin";
export const TELNYX_KEY = "KEY_sandbox_telnyx";
export const OPENAI_KEY = "sk-admin-sandbox-openai";

export const E2E_AUTH_SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";

/** The environment `next build` and `next start` run with in e2e. */
export const appEnv: Record<string, string> = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: E2E_AUTH_SECRET,
  NEXTAUTH_URL: APP_URL,
  TELNYX_API_KEY: TELNYX_KEY,
  TELNYX_BASE_URL: `${SANDBOX_URL}/v2`,
  OPENAI_ADMIN_KEY: OPENAI_KEY,
  OPENAI_BASE_URL: `${SANDBOX_URL}/v1`,
  // Fast failure in tests: a fault should surface in seconds, not minutes.
  UPSTREAM_TIMEOUT_MS: "4000",
  UPSTREAM_MAX_RETRY_WAIT_MS: "2000",
};
