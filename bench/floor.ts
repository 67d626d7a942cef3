/**
 * The framework floor (bench/floor): a bare Next.js app with one route handler
 * that fetches the vendor page and returns its bytes, built and started with
 * the same Next.js and NODE_ENV=production as Roster.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import type { FloorApp } from "./context";
import { listeningPid, waitForHttp, withTimeout, type ProcessRegistry } from "./processes";
import { OPENAI_KEY, ROOT, TELNYX_KEY } from "./servers";

const FLOOR_DIR = path.join(ROOT, "bench/floor");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
// Beside Roster's own build folders, so that lint, tsc and git pass over it as over theirs.
const DIST_DIR = "../../.next-bench-floor";

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    FLOOR_DIST_DIR: DIST_DIR,
    ...extra,
  };
}

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(file)) {
    if (entry.startsWith(".next")) continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry)));
  }
  return newest;
}

function isFresh(): boolean {
  const buildId = path.join(FLOOR_DIR, DIST_DIR, "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const inputs = Math.max(
    newestMtime(FLOOR_DIR),
    statSync(path.join(ROOT, "package-lock.json")).mtimeMs,
  );
  return statSync(buildId).mtimeMs > inputs;
}

/** `next build` of bench/floor unless its last build is newer than its files and the lock file. */
export async function ensureFloorBuild(
  registry: ProcessRegistry,
  options: { force: boolean; log: (line: string) => void },
): Promise<{ built: boolean; seconds: number }> {
  if (!options.force && isFresh()) return { built: false, seconds: 0 };
  options.log(`building the framework floor (bench/floor) into ${DIST_DIR}...`);
  const started = performance.now();
  const proc = registry.spawn("floor build", process.execPath, [NEXT_BIN, "build"], {
    cwd: FLOOR_DIR,
    env: env({}),
  });
  const code = await withTimeout(proc.exited, 10 * 60_000, "floor build did not finish").catch(
    async (error: unknown) => {
      await registry.stop(proc);
      throw error;
    },
  );
  if (code !== 0)
    throw new Error(`floor build failed (exit ${String(code)}):\n${proc.outputTail(40)}`);
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

export async function startFloor(
  registry: ProcessRegistry,
  options: { port: number; sandboxUrl: string },
): Promise<FloorApp> {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = registry.spawn(
    "floor start",
    process.execPath,
    [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(options.port)],
    {
      cwd: FLOOR_DIR,
      env: env({
        FLOOR_VENDOR_URL: options.sandboxUrl,
        FLOOR_TELNYX_KEY: TELNYX_KEY,
        FLOOR_OPENAI_KEY: OPENAI_KEY,
      }),
    },
  );
  await waitForHttp(`${url}/`, { timeoutMs: 90_000, proc });
  const serverPid = listeningPid(proc.pid, options.port);
  if (serverPid === null) throw new Error(`no process of the floor listens on ${options.port}`);
  return { url, serverPid };
}
