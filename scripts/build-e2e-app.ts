/**
 * `next build` of the app the end-to-end tests run, with the environment they
 * run it with (e2e/env.ts), into ROSTER_DIST_DIR (default `.next`). Playwright
 * runs it before it starts the server, unless E2E_SKIP_BUILD=1; `npm test`
 * runs it as a step of its own (scripts/test.mjs).
 */
import { spawnSync } from "node:child_process";

import { appEnv } from "../e2e/env";

const { status, error } = spawnSync("npx", ["next", "build"], {
  stdio: "inherit",
  env: { ...process.env, ...appEnv, ROSTER_DIST_DIR: process.env.ROSTER_DIST_DIR || ".next" },
});
if (error) console.error(`next build did not start: ${error.message}`);
process.exit(status ?? 1);
