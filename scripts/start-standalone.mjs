#!/usr/bin/env node
// @ts-check
/**
 * Serves a production build the way the container does: Next.js's standalone
 * server (`<distDir>/standalone/server.js`), with the static files and
 * `public/` copied beside it as its docs ask. Used by the end-to-end tests, so
 * they test what ships. Usage: node scripts/start-standalone.mjs <port>
 * (ROSTER_DIST_DIR names the build folder, default .next). A relative
 * ROSTER_DATA_DIR is taken from where this runs, as `next start` takes it, not
 * from inside the build folder (which the next build replaces).
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const distDir = process.env.ROSTER_DIST_DIR || ".next";
const standalone = path.join(root, distDir, "standalone");
const server = path.join(standalone, "server.js");
if (!existsSync(server)) {
  console.error(`No standalone server at ${server}: run \`next build\` first.`);
  process.exit(1);
}
cpSync(path.join(root, distDir, "static"), path.join(standalone, distDir, "static"), {
  recursive: true,
});
cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });

const port = process.argv[2] ?? process.env.PORT ?? "3000";
const child = spawn(process.execPath, [server], {
  cwd: standalone,
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    HOSTNAME: process.env.HOSTNAME_BIND ?? "127.0.0.1",
    ROSTER_DATA_DIR: path.resolve(process.env.ROSTER_DATA_DIR || ".roster"),
    // Roster stops its syncs and closes its database on SIGTERM, then exits (lib/server/shutdown.ts).
    NEXT_MANUAL_SIG_HANDLE: "true",
  },
});
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
