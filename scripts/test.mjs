#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: lint (ESLint, Prettier and knip), the production build the end-to-end tests run,
 * type check, unit tests (Vitest), end-to-end tests (Playwright, which starts the sandbox and
 * that build), then one summary line counting every test of every runner. Lint, the build and
 * the type check count as one test each. Exits non-zero when anything failed.
 *
 * The build skips Next.js's own type check (ROSTER_BUILD_SKIP_TYPECHECK): the type check step
 * after it runs the same check over the same tsconfig, the build's route types included.
 *
 *   npm test                 everything
 *   npm test -- --skip-e2e   no build, no browser tests (quick local loop)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { startPostgresCluster } from "./pg-cluster.mjs";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results");
const skipE2e = process.argv.includes("--skip-e2e");

/** @type {{ name: string; passed: number; failed: number; skipped: number }[]} */
const results = [];

/**
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 * @returns {Promise<number>}
 */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.on("error", () => resolve(127));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** @param {string} title */
function banner(title) {
  console.log(`\n=== ${title} ===`);
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Finds a Chromium for Playwright: CHROMIUM_PATH, then Debian's. On a fresh
 * Debian machine as root it installs Debian's package; elsewhere it says what
 * to install. Returns an error message, or null when a browser is ready.
 * @returns {string | null}
 */
function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted === "playwright") return null; // Playwright's own downloaded browsers
  if (wanted) return existsSync(wanted) ? null : `CHROMIUM_PATH=${wanted} does not exist.`;
  if (existsSync("/usr/bin/chromium")) return null;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium not found: installing Debian's package (apt-get install -y chromium)...");
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit" });
    const install =
      update.status === 0
        ? spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit" })
        : update;
    if (install.status === 0 && existsSync("/usr/bin/chromium")) return null;
  }
  return (
    "No Chromium found for the end-to-end tests. Install Debian's (as root: apt-get install -y chromium), " +
    "or set CHROMIUM_PATH to a Chromium binary, or CHROMIUM_PATH=playwright after `npx playwright install chromium`."
  );
}

/**
 * A fresh, empty database on the test server (dropped first if a run left one).
 * @param {string} serverUrl
 * @param {string} name
 */
async function createDatabase(serverUrl, name) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function main() {
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });

  // One throwaway PostgreSQL server for the run: unit tests create a database per file on it,
  // and e2e runs the app on it. TEST_DATABASE_URL names an existing server instead.
  /** @type {{ url: string, stop: () => void } | null} */
  let cluster = null;
  if (!process.env.TEST_DATABASE_URL) {
    banner("postgresql");
    cluster = await startPostgresCluster();
    process.on("exit", () => cluster?.stop());
    for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
      process.on(signal, () => {
        cluster?.stop();
        process.exit(130);
      });
    }
    console.log(`throwaway cluster at ${cluster.url}`);
  }
  const serverUrl = process.env.TEST_DATABASE_URL ?? /** @type {string} */ (cluster?.url);
  const e2eDatabase = new URL(serverUrl);
  e2eDatabase.pathname = "/roster_e2e";
  await createDatabase(serverUrl, "roster_e2e");
  const dbEnv = { TEST_DATABASE_URL: serverUrl, E2E_DATABASE_URL: e2eDatabase.toString() };

  // The package's own scripts, so `npm test` runs exactly what `npm run lint` and the others do.
  banner("lint");
  const lint = await run("npm", ["run", "--silent", "lint"]);
  results.push({
    name: "lint",
    passed: lint === 0 ? 1 : 0,
    failed: lint === 0 ? 0 : 1,
    skipped: 0,
  });

  // Before the type check, so that it covers the route types the build writes (.next/types).
  let built = false;
  if (!skipE2e) {
    banner("build (the app the end-to-end tests run)");
    const build = await run("npx", ["tsx", "scripts/build-e2e-app.ts"], {
      ...dbEnv,
      ROSTER_BUILD_SKIP_TYPECHECK: "1",
    });
    built = build === 0;
    results.push({ name: "build", passed: built ? 1 : 0, failed: built ? 0 : 1, skipped: 0 });
  }

  banner("type check");
  const tsc = await run("npm", ["run", "--silent", "typecheck"]);
  results.push({
    name: "typecheck",
    passed: tsc === 0 ? 1 : 0,
    failed: tsc === 0 ? 0 : 1,
    skipped: 0,
  });

  banner("unit tests (vitest)");
  const vitestReport = path.join(reports, "vitest.json");
  const vitest = await run(
    "npm",
    [
      "run",
      "--silent",
      "test:unit",
      "--",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${vitestReport}`,
    ],
    dbEnv,
  );
  const v = readJson(vitestReport);
  if (v) {
    results.push({
      name: "vitest",
      passed: v.numPassedTests ?? 0,
      // A suite that fails to load has no failed tests but still failed.
      failed: (v.numFailedTests ?? 0) + (vitest !== 0 && !v.numFailedTests ? 1 : 0),
      skipped: (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0),
    });
  } else {
    results.push({ name: "vitest", passed: 0, failed: 1, skipped: 0 });
  }

  if (skipE2e) {
    console.log("\n(end-to-end tests skipped by --skip-e2e)");
  } else {
    banner("end-to-end tests (playwright)");
    const cannotRun = built
      ? ensureChromium()
      : "The build failed (above), so the end-to-end tests did not run.";
    if (cannotRun) {
      console.error(cannotRun);
      results.push({ name: "playwright", passed: 0, failed: 1, skipped: 0 });
    } else {
      const e2eReport = path.join(reports, "e2e-results.json");
      const e2e = await run("npm", ["run", "--silent", "test:e2e"], {
        ...dbEnv,
        E2E_SKIP_BUILD: "1",
      });
      const p = readJson(e2eReport);
      const stats = p?.stats;
      if (stats) {
        const failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
        results.push({
          name: "playwright",
          passed: stats.expected ?? 0,
          failed: failed + (e2e !== 0 && failed === 0 ? 1 : 0),
          skipped: stats.skipped ?? 0,
        });
      } else {
        results.push({ name: "playwright", passed: 0, failed: 1, skipped: 0 });
      }
    }
  }

  const total = results.reduce(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log(
    "\n" + results.map((r) => `${r.name}: ${r.passed} passed, ${r.failed} failed`).join("\n"),
  );
  console.log(
    `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
  );
  process.exitCode = total.failed === 0 ? 0 : 1;
}

await main();
