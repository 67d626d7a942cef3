#!/usr/bin/env node
// @ts-check
/**
 * The e2e app server: scripts/start-standalone.mjs, and once it has exited, the
 * run's embedded database folder removed. playwright.config.ts stops it with
 * SIGTERM (every process of the group gets it), so Roster closes its database
 * first; e2e/env.ts makes that folder fresh for each run, and without this every
 * run left one (40–140 MB) in the temporary folder. A folder named by the caller
 * (E2E_DATA_DIR set outside), or a server on PostgreSQL, is left alone.
 * Usage: node e2e/serve-app.mjs <port>
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const [port] = process.argv.slice(2);
const folder = process.env.E2E_REMOVE_DATA_DIR;
const child = spawn(
  process.execPath,
  [path.join(import.meta.dirname, "../scripts/start-standalone.mjs"), port ?? ""],
  { stdio: "inherit" },
);
// The signal reaches the child directly (same process group); only keep this process alive.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => {});
child.on("exit", (code, signal) => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
