import { defineConfig, devices } from "@playwright/test";

import { chromiumLaunchOptions } from "./e2e/browser";
import { APP_PORT, APP_URL, SANDBOX_PORT, SANDBOX_SIZES, SANDBOX_URL, appEnv } from "./e2e/env";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  // Sandbox faults are global to the one sandbox: tests that set them must not overlap.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: `npx tsx sandbox/cli.ts --port ${SANDBOX_PORT}`,
      url: `${SANDBOX_URL}/_sandbox/health`,
      env: {
        SANDBOX_SEED: String(SANDBOX_SIZES.seed),
        SANDBOX_TELNYX_USERS: String(SANDBOX_SIZES.telnyxUsers),
        SANDBOX_OPENAI_USERS: String(SANDBOX_SIZES.openaiUsers),
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The standalone server, as the container runs it: the tests cover what ships.
      command:
        process.env.E2E_SKIP_BUILD === "1"
          ? `node e2e/serve-app.mjs ${APP_PORT}`
          : `npx tsx scripts/build-e2e-app.ts && node e2e/serve-app.mjs ${APP_PORT}`,
      url: `${APP_URL}/signin`,
      env: { ...appEnv, ROSTER_DIST_DIR: process.env.ROSTER_DIST_DIR ?? ".next" },
      reuseExistingServer: false,
      // SIGTERM, not Playwright's default SIGKILL: Roster stops its syncs, closes its database and
      // releases the embedded database's folder lock (lib/server/shutdown.ts) before it exits.
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      // A cold `next build` on a busy 2-core machine can take several minutes.
      timeout: 600_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
