/**
 * Ports, secrets and the app's environment for end-to-end runs. Every value can
 * be overridden from the shell so that several runs can share one machine.
 */
import os from "node:os";
import path from "node:path";

import { DEFAULTS } from "../sandbox/data";

export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4010);
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

/** Must match the sandbox's defaults (sandbox/data.ts DEFAULTS). */
export const SANDBOX_ADMIN_TOKEN = "sandbox-admin";
export const TELNYX_KEY = "KEY_sandbox_telnyx";
export const OPENAI_KEY = "sk-admin-sandbox-openai";

/** The embedded database's folder when no E2E_DATABASE_URL is given: fresh for each run. */
// Set on process.env so that Playwright's workers, which inherit it, agree with the server.
// A folder made up here is removed when the app server exits (e2e/serve-app.mjs); one named by the
// caller is kept.
const madeUpDataDir = process.env.E2E_DATA_DIR === undefined;
process.env.E2E_DATA_DIR ??= path.join(
  os.tmpdir(),
  `roster-e2e-${process.env.E2E_APP_PORT ?? 3100}-${Date.now()}`,
);
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR;

export const E2E_AUTH_SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";

/**
 * Admins the e2e server accepts (ROSTER_ADMINS below). The hashes were made
 * with `npm run hash-password` from these passwords. The second admin exists
 * so the throttling test can lock an account without locking out the first.
 */
export const E2E_ADMIN_EMAIL = "admin@roster.test";
export const E2E_ADMIN_PASSWORD = "e2e-admin-password-7f3k";
export const E2E_SECOND_ADMIN_EMAIL = "second-admin@roster.test";
export const E2E_SECOND_ADMIN_PASSWORD = "e2e-locked-password-2q9v";
const E2E_ADMINS = [
  `${E2E_ADMIN_EMAIL}=scrypt:32768:8:1:nR5Swn9Tn4J5r86gMEZzMg:nJilj0BDwhmxRhoSvsPjF90qJ60EFyYWcL8L8V0k8lI`,
  `${E2E_SECOND_ADMIN_EMAIL}=scrypt:32768:8:1:xX0FHmCBinc_H8FS1CKGng:-SN-0SOkAMuG-gCTo5WGNdHVjab09Vd4hIMJhbyg5Fc`,
].join(",");

/** The environment `next build` and `next start` run with in e2e. */
export const appEnv: Record<string, string> = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: E2E_AUTH_SECRET,
  NEXTAUTH_URL: APP_URL,
  ROSTER_ADMINS: E2E_ADMINS,
  // As if behind one reverse proxy: tests stand in for distinct clients by sending X-Forwarded-For.
  TRUST_PROXY: "1",
  TELNYX_API_KEY: TELNYX_KEY,
  TELNYX_BASE_URL: `${SANDBOX_URL}/v2`,
  OPENAI_ADMIN_KEY: OPENAI_KEY,
  OPENAI_BASE_URL: `${SANDBOX_URL}/v1`,
  // Fast failure in tests: a fault should surface in seconds, not minutes.
  UPSTREAM_TIMEOUT_MS: "4000",
  UPSTREAM_MAX_RETRY_WAIT_MS: "2000",
  // No background syncs: tests that count vendor requests or inject faults must see only their own.
  // Directory tests sync on purpose.
  SYNC_INTERVAL_MINUTES: "0",
  // npm test runs e2e on a throwaway PostgreSQL server; alone, the app keeps an embedded one.
  ...(process.env.E2E_DATABASE_URL
    ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
    : {
        ROSTER_DATA_DIR: E2E_DATA_DIR,
        ...(madeUpDataDir ? { E2E_REMOVE_DATA_DIR: E2E_DATA_DIR } : {}),
      }),
};

/**
 * The e2e sandbox's seeded sizes. playwright.config.ts passes them to the
 * sandbox (as SANDBOX_SEED, SANDBOX_TELNYX_USERS, SANDBOX_OPENAI_USERS), so the
 * sandbox and what the tests expect always agree. Telnyx is large enough by
 * default for the 10,000-row virtualization test.
 */
export const SANDBOX_SIZES = {
  seed: Number(process.env.SANDBOX_SEED ?? DEFAULTS.seed),
  telnyxUsers: Number(process.env.SANDBOX_TELNYX_USERS ?? 10_500),
  openaiUsers: Number(process.env.SANDBOX_OPENAI_USERS ?? DEFAULTS.openaiUsers),
};
