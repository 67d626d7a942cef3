/**
 * The sandbox and Roster's production server as child processes, and the
 * production build they run.
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

import { hashPassword } from "../lib/auth/password";
import { DEFAULTS } from "../sandbox/data";

import {
  listeningPid,
  waitForHttp,
  withTimeout,
  type ManagedProcess,
  type ProcessRegistry,
} from "./processes";

export const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

export const SANDBOX_ADMIN_TOKEN = DEFAULTS.adminToken;
export const TELNYX_KEY = DEFAULTS.telnyxKey;
export const OPENAI_KEY = DEFAULTS.openaiKey;

/** Variables from the caller's shell that would change what is measured. */
const SCRUBBED_ENV = [
  "TELNYX_CLIENT_ID",
  "TELNYX_CLIENT_SECRET",
  "TELNYX_PUBLIC_KEY",
  "OPENAI_API_KEY",
  "OPENAI_ORG_ID",
  "OPENAI_PROJECT_ID",
  "EXPORT_CONCURRENCY",
  "UPSTREAM_TIMEOUT_MS",
  "UPSTREAM_MAX_RETRIES",
  "UPSTREAM_MAX_RETRY_WAIT_MS",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "NODE_OPTIONS",
  "DATABASE_URL",
  "ROSTER_DATA_DIR",
  "SYNC_INTERVAL_MINUTES",
];

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of SCRUBBED_ENV) delete env[name];
  return env;
}

// ---------------------------------------------------------------- sandbox

export interface SandboxProcess {
  url: string;
  proc: ManagedProcess;
  users: { telnyx: number; openai: number };
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /** Changes the vendor's users (sandbox/mutate.ts) through `POST /_sandbox/mutate`. */
  mutate(mutation: Record<string, unknown>): Promise<void>;
  /** Vendor requests the sandbox has answered so far, by vendor. */
  requests(): Promise<{ telnyx: number; openai: number }>;
}

export async function startSandboxProcess(
  registry: ProcessRegistry,
  options: { port: number; telnyxUsers: number; openaiUsers: number },
): Promise<SandboxProcess> {
  // `node --import tsx`: one process, no tsx wrapper in between.
  const proc = registry.spawn(
    "sandbox",
    process.execPath,
    [
      "--import",
      "tsx",
      "sandbox/cli.ts",
      "--port",
      String(options.port),
      "--telnyx-users",
      String(options.telnyxUsers),
      "--openai-users",
      String(options.openaiUsers),
      "--latency",
      "0",
      "--jitter",
      "0",
    ],
    { cwd: ROOT, env: baseEnv() },
  );
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${url}/_sandbox/health`, { timeoutMs: 90_000, proc });
  const health = (await (await fetch(`${url}/_sandbox/health`)).json()) as {
    users?: { telnyx?: number; openai?: number };
  };
  const users = { telnyx: health.users?.telnyx ?? -1, openai: health.users?.openai ?? -1 };
  if (users.telnyx !== options.telnyxUsers || users.openai !== options.openaiUsers) {
    throw new Error(
      `the sandbox holds ${users.telnyx} Telnyx / ${users.openai} OpenAI users, expected ${options.telnyxUsers} / ${options.openaiUsers}`,
    );
  }
  /** `POST /_sandbox/{path}` with a JSON body; the answer's text, or an error naming the refusal. */
  const control = async (path: string, body: unknown, timeoutMs: number): Promise<string> => {
    const res = await fetch(`${url}/_sandbox/${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${SANDBOX_ADMIN_TOKEN}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox refused ${path} ${JSON.stringify(body)}: ${text}`);
    return text;
  };
  return {
    url,
    proc,
    users,
    async requests() {
      const res = await fetch(`${url}/_sandbox/state`, {
        headers: { authorization: `Bearer ${SANDBOX_ADMIN_TOKEN}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`sandbox state: ${res.status}`);
      const state = (await res.json()) as {
        counters: { requests: { telnyx: number; openai: number } };
      };
      return { telnyx: state.counters.requests.telnyx, openai: state.counters.requests.openai };
    },
    async mutate(mutation) {
      await control("mutate", mutation, 30_000);
    },
    async setFaults(faults) {
      const text = await control("faults", faults, 5_000);
      const applied = (JSON.parse(text) as { faults: Record<string, unknown> }).faults;
      for (const [key, value] of Object.entries(faults)) {
        if (applied[key] !== value)
          throw new Error(`sandbox fault ${key} is ${String(applied[key])}, not ${String(value)}`);
      }
    },
  };
}

// ---------------------------------------------------------------- build

/** Files whose change makes a build stale (tests do not). */
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "next.config.mjs",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
  "tailwind.config.ts",
];

function newestInputMtime(): number {
  let newest = 0;
  const visit = (file: string) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file)) visit(path.join(file, entry));
    } else if (!/\.test\.tsx?$/.test(file)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const input of BUILD_INPUTS) visit(path.join(ROOT, input));
  return newest;
}

/** True when `distDir` holds a production build newer than every build input. */
export function isFreshBuild(distDir: string): boolean {
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return false;
  return statSync(buildId).mtimeMs > newestInputMtime();
}

/**
 * `next build` adds its distDir's type globs to tsconfig.json's `include`.
 * The benchmark's build folder is its own business, so the entries it added
 * are taken out again, leaving anything else in the file as it was.
 */
function restoreTsconfigInclude(before: readonly string[]): void {
  const file = path.join(ROOT, "tsconfig.json");
  let config: { include?: unknown };
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as { include?: unknown };
  } catch {
    return;
  }
  if (!Array.isArray(config.include)) return;
  const include = config.include as unknown[];
  const kept = include.filter(
    (entry) =>
      typeof entry !== "string" || !entry.startsWith(".next-bench/") || before.includes(entry),
  );
  if (kept.length === include.length) return;
  config.include = kept;
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

function tsconfigInclude(): string[] {
  try {
    const config = JSON.parse(readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as {
      include?: unknown;
    };
    return Array.isArray(config.include) ? config.include.filter((e) => typeof e === "string") : [];
  } catch {
    return [];
  }
}

export interface BuildInfo {
  distDir: string;
  built: boolean;
  seconds: number;
}

/** Production env shared by `next build` and `next start`. */
function appEnv(distDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...baseEnv(), NODE_ENV: "production", ROSTER_DIST_DIR: distDir, ...extra };
}

export async function buildApp(
  registry: ProcessRegistry,
  distDir: string,
  log: (line: string) => void,
): Promise<BuildInfo> {
  const started = performance.now();
  const includeBefore = tsconfigInclude();
  const proc = registry.spawn("next build", process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    env: appEnv(distDir, {}),
  });
  const timeoutMs = 10 * 60_000;
  try {
    const code = await withTimeout(proc.exited, timeoutMs, "next build did not finish").catch(
      async (error: unknown) => {
        await registry.stop(proc);
        throw error;
      },
    );
    if (code !== 0)
      throw new Error(`next build failed (exit ${String(code)}):\n${proc.outputTail(40)}`);
  } finally {
    restoreTsconfigInclude(includeBefore);
  }
  const seconds = (performance.now() - started) / 1000;
  log(`built ${distDir} in ${seconds.toFixed(0)} s`);
  return { distDir, built: true, seconds };
}

// ---------------------------------------------------------------- app

export interface AppProcess {
  url: string;
  port: number;
  proc: ManagedProcess;
  /** The process that holds the listening socket: the one whose memory is measured. */
  serverPid: number;
  secret: string;
  /** Its embedded database folder (ROSTER_DATA_DIR), where the app keeps one. */
  dataDir: string;
}

export async function startApp(
  registry: ProcessRegistry,
  options: {
    distDir: string;
    port: number;
    sandboxUrl: string;
    /** Extra `next start` flags (e.g. --experimental-cpu-prof). */
    extraArgs?: string[];
    /** Extra variables (e.g. DATABASE_URL). */
    env?: Record<string, string>;
  },
): Promise<AppProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const secret = randomBytes(32).toString("base64url");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roster-bench-db-"));
  // next start refuses to run without a way to sign in; nobody signs in with this password.
  const admin = `bench@roster.bench=${await hashPassword(randomBytes(18).toString("base64url"))}`;
  const proc = registry.spawn(
    "next start",
    process.execPath,
    [
      NEXT_BIN,
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(options.port),
      ...(options.extraArgs ?? []),
    ],
    {
      cwd: ROOT,
      env: appEnv(options.distDir, {
        NEXTAUTH_SECRET: secret,
        NEXTAUTH_URL: url,
        ROSTER_ADMINS: admin,
        // Measured runs see only the load they make; each app its own embedded database.
        SYNC_INTERVAL_MINUTES: "0",
        ROSTER_DATA_DIR: dataDir,
        TELNYX_API_KEY: TELNYX_KEY,
        TELNYX_BASE_URL: `${options.sandboxUrl}/v2`,
        OPENAI_ADMIN_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: `${options.sandboxUrl}/v1`,
        ...options.env,
      }),
    },
  );
  // The database goes with the server; the registry stops every server on the way out.
  void proc.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  await waitForHttp(`${url}/signin`, { timeoutMs: 90_000, proc, accept: (s) => s < 500 });
  const serverPid = listeningPid(proc.pid, options.port);
  if (serverPid === null) {
    throw new Error(
      `could not find the process listening on port ${options.port} under pid ${proc.pid}`,
    );
  }
  return { url, port: options.port, proc, serverPid, secret, dataDir };
}
