/**
 * `npm run bench`: Roster measured side by side with the lower bound and the
 * alternatives (issue 7). See bench/README.md.
 *
 *   npm run bench                  full sizes, writes bench/results/latest.json
 *   npm run bench -- --quick       small sizes (CI), writes bench/results/quick.json
 *   npm run bench -- --build       rebuild even when the last build is up to date
 *   npm run bench -- --no-build    reuse the last build whatever its age
 *   npm run bench -- --readme      also put the table into bench/README.md
 *
 * Exit code: 0 when every measurement was made and checked, whether or not
 * the targets were met; 1 when anything failed to measure.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { parseEnv } from "../lib/env.mjs";
import type { ProviderId } from "../lib/users/schema";

import { apiTargets, runApiBench, type ApiCase } from "./api";
import { runDashboard, type DashboardResults } from "./dashboard";
import { directoryFigures, runDirectoryBench, type DirectoryResults } from "./directory";
import { lowerBound, runExports, warmUp, type ExportResults } from "./export";
import { ProcessRegistry, freePort } from "./processes";
import { figure, figuresById, renderTable, writeJson, type Figure } from "./report";
import {
  ROOT,
  buildApp,
  isFreshBuild,
  startApp,
  startSandboxProcess,
  type BuildInfo,
} from "./servers";
import { cookieHeader, mintSessionToken } from "./session";
import { pairedRatios } from "./stats";

interface Mode {
  name: "full" | "quick";
  telnyxUsers: number;
  openaiUsers: number;
  latencyMs: number;
  connections: number[];
  apiRounds: number;
  apiSeconds: number;
  apiWarmupSeconds: number;
  exportRuns: number;
  dashboardRuns: number;
  dashboardRows: number;
  /** Everything but the build must be done by then. */
  watchdogMs: number;
}

const FULL: Mode = {
  name: "full",
  telnyxUsers: 100_000,
  openaiUsers: 20_000,
  latencyMs: 50,
  connections: [10, 50],
  apiRounds: 3,
  apiSeconds: 3,
  apiWarmupSeconds: 2,
  exportRuns: 3,
  dashboardRuns: 3,
  dashboardRows: 5_000,
  watchdogMs: 12 * 60_000,
};

const QUICK: Mode = {
  name: "quick",
  telnyxUsers: 5_000,
  openaiUsers: 2_000,
  latencyMs: 50,
  connections: [10, 50],
  apiRounds: 1,
  apiSeconds: 1,
  apiWarmupSeconds: 1,
  exportRuns: 1,
  dashboardRuns: 1,
  dashboardRows: 500,
  watchdogMs: 3 * 60_000,
};

const TARGETS = {
  apiLatencyRatio: 1.3,
  telnyxExportToBound: 1.2,
  telnyxSpeedupVsSdk: 3,
  openaiExportToBound: 1.1,
  exportMemoryGrowthMiB: 64,
  firstLoadJsGzipKb: 200,
} as const;

const PORT_RANGE = [4600, 4699] as const;
const DIST_DIR = ".next-bench";
const RESULTS_DIR = path.join(ROOT, "bench/results");
const README = path.join(ROOT, "bench/README.md");
const MiB = 1024 * 1024;

const USAGE = `Usage: npm run bench [-- flags]
  --quick      small sizes, seconds (CI); writes bench/results/quick.json
  --build      rebuild even when the last build (${DIST_DIR}) is newer than the sources
  --no-build   reuse the last build whatever its age
  --readme     also put the table into bench/README.md
Full runs write bench/results/latest.json. Exit code 1 only when a measurement failed.`;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

async function ensureBuild(
  registry: ProcessRegistry,
  mode: Mode,
  flags: { build: boolean; noBuild: boolean },
): Promise<BuildInfo> {
  // A quick run may reuse the production build `npm test` just made (CI runs it first).
  const candidates = mode.name === "quick" ? [DIST_DIR, ".next"] : [DIST_DIR];
  if (flags.noBuild) {
    const existing = candidates.find((dir) => isFreshBuild(dir)) ?? DIST_DIR;
    log(`reusing the build in ${existing} (--no-build)`);
    return { distDir: existing, built: false, seconds: 0 };
  }
  if (!flags.build) {
    const fresh = candidates.find((dir) => isFreshBuild(dir));
    if (fresh) {
      log(`reusing the build in ${fresh}: it is newer than every source file`);
      return { distDir: fresh, built: false, seconds: 0 };
    }
  }
  log(`building Roster for production into ${DIST_DIR} (next build)...`);
  return buildApp(registry, DIST_DIR, log);
}

function apiFigures(cases: ApiCase[], mode: Mode): Figure[] {
  const section = `API overhead: /api/{provider}/users?limit=100 vs the sandbox directly (0 ms latency; ${mode.apiRounds} round${mode.apiRounds === 1 ? "" : "s"} × ${mode.apiSeconds} s per side, interleaved)`;
  const out: Figure[] = [];
  for (const c of cases) {
    const key = `api.${c.provider}.c${c.connections}`;
    const name = `${c.provider} c=${c.connections}`;
    const values = (route: "proxied" | "direct", metric: "p50" | "p99" | "rps") =>
      c.runs[route].map((run) => run[metric]);
    for (const [metric, label, unit] of [
      ["p50", "median latency", "ms"],
      ["p99", "p99 latency", "ms"],
      ["rps", "requests/s", "req/s"],
    ] as const) {
      const proxied = values("proxied", metric);
      const direct = values("direct", metric);
      const decimals = metric === "rps" ? 0 : 2;
      out.push(
        figure(`${key}.${metric}.proxied`, section, `${name} ${label} proxied`, unit, proxied, {
          decimals,
        }),
      );
      out.push(
        figure(`${key}.${metric}.direct`, section, `${name} ${label} direct`, unit, direct, {
          decimals,
        }),
      );
      out.push(
        figure(
          `${key}.${metric}.ratio`,
          section,
          `${name} ${label} ratio proxied/direct`,
          "",
          pairedRatios(proxied, direct),
          {
            decimals: 2,
            ...(metric === "p50"
              ? { target: { op: "<=", value: TARGETS.apiLatencyRatio, by: "median" } }
              : {}),
          },
        ),
      );
      if (metric === "p50") {
        // The ratio's meaning depends on how fast the direct side is; the added time does not.
        const added = proxied.map((value, i) => value - (direct[i] ?? Number.NaN));
        out.push(
          figure(
            `${key}.p50.added_ms`,
            section,
            `${name} median latency added by Roster`,
            "ms",
            added,
            { decimals: 2 },
          ),
        );
      }
    }
  }
  return out;
}

function exportFigures(
  results: ExportResults,
  mode: Mode,
  concurrency: number,
  users: Record<ProviderId, number>,
): Figure[] {
  const section = `Export: ${users.telnyx.toLocaleString("en-US")} Telnyx / ${users.openai.toLocaleString("en-US")} OpenAI users, sandbox ${mode.latencyMs} ms per request (jitter 0), EXPORT_CONCURRENCY ${concurrency}`;
  const out: Figure[] = [];
  const toBoundTarget: Record<ProviderId, number> = {
    telnyx: TARGETS.telnyxExportToBound,
    openai: TARGETS.openaiExportToBound,
  };
  for (const provider of ["telnyx", "openai"] as const) {
    const r = results.providers[provider];
    const bound = lowerBound(provider, users[provider], mode.latencyMs, concurrency);
    const seconds = (ms: number[]) => ms.map((v) => v / 1000);
    const boundText =
      provider === "telnyx"
        ? `ceil(${bound.pages}/${bound.concurrency}) × ${mode.latencyMs} ms`
        : `${bound.pages} × ${mode.latencyMs} ms`;
    out.push(
      figure(
        `export.${provider}.roster_s`,
        section,
        `${provider} export wall time`,
        "s",
        seconds(r.rosterMs),
      ),
    );
    out.push(
      figure(
        `export.${provider}.first_byte_s`,
        section,
        `${provider} export first byte`,
        "s",
        seconds(r.firstByteMs),
      ),
    );
    out.push(
      figure(`export.${provider}.bound_s`, section, `${provider} lower bound, ${boundText}`, "s", [
        bound.ms / 1000,
      ]),
    );
    out.push(
      figure(
        `export.${provider}.to_bound`,
        section,
        `${provider} export / lower bound`,
        "×",
        r.rosterMs.map((ms) => ms / bound.ms),
        {
          target: { op: "<=", value: toBoundTarget[provider], by: "median" },
        },
      ),
    );
    out.push(
      figure(
        `export.${provider}.sdk_s`,
        section,
        `${provider} SDK sequential for-await loop`,
        "s",
        seconds(r.sdkMs),
      ),
    );
    out.push(
      figure(
        `export.${provider}.speedup_vs_sdk`,
        section,
        `${provider} SDK loop / export (speed-up)`,
        "×",
        pairedRatios(r.sdkMs, r.rosterMs),
        {
          ...(provider === "telnyx"
            ? { target: { op: ">=", value: TARGETS.telnyxSpeedupVsSdk, by: "median" } }
            : {}),
        },
      ),
    );
    out.push(
      figure(
        `export.${provider}.rows`,
        section,
        `${provider} rows exported (checked against the sandbox)`,
        "",
        r.rosterMs.map(() => r.rows),
        {
          decimals: 0,
        },
      ),
    );
  }
  const memorySection =
    "Export memory: Roster server process during the Telnyx export (VmRSS every 50 ms, and VmHWM)";
  const mib = (values: number[]) => values.map((v) => v / MiB);
  out.push(
    figure(
      "export.memory.idle_mib",
      memorySection,
      "idle RSS before the export",
      "MiB",
      mib(results.memory.idle),
      { decimals: 1 },
    ),
  );
  out.push(
    figure(
      "export.memory.peak_mib",
      memorySection,
      "peak RSS during the export",
      "MiB",
      mib(results.memory.peak),
      { decimals: 1 },
    ),
  );
  out.push(
    figure(
      "export.memory.growth_mib",
      memorySection,
      "peak − idle",
      "MiB",
      mib(results.memory.growth),
      {
        decimals: 1,
        // A ceiling: the worst run counts.
        target: { op: "<=", value: TARGETS.exportMemoryGrowthMiB, by: "max" },
      },
    ),
  );
  return out;
}

function dashboardFigures(results: DashboardResults): Figure[] {
  const section = "Dashboard: production build in headless Chromium, Telnyx tab, sandbox 0 ms";
  const rows = results.targetRows.toLocaleString("en-US");
  const runs = results.runs;
  const js = results.firstLoadJs;
  return [
    figure(
      "dashboard.first_row_ms",
      section,
      "navigation → first row visible",
      "ms",
      runs.map((r) => r.firstRowMs),
      { decimals: 0 },
    ),
    figure(
      "dashboard.rows_loaded_ms",
      section,
      `navigation → ${rows} rows loaded by scrolling`,
      "ms",
      runs.map((r) => r.rowsLoadedMs),
      {
        decimals: 0,
      },
    ),
    figure(
      "dashboard.row_elements",
      section,
      `row elements in the DOM at ${rows} rows`,
      "",
      runs.map((r) => r.rowElements),
      { decimals: 0 },
    ),
    figure(
      "dashboard.first_load_js_gzip_kb",
      section,
      `first-load JavaScript, gzip (${js.files.length} files)`,
      "kB",
      [js.gzip / 1000],
      {
        decimals: 1,
        target: { op: "<=", value: TARGETS.firstLoadJsGzipKb, by: "median" },
      },
    ),
    figure(
      "dashboard.first_load_js_raw_kb",
      section,
      "first-load JavaScript, uncompressed",
      "kB",
      [js.bytes / 1000],
      { decimals: 1 },
    ),
    figure(
      "dashboard.lazy_js_gzip_kb",
      section,
      `JavaScript fetched after the first row, gzip (${js.lazyFiles.length} files)`,
      "kB",
      [js.lazyGzip / 1000],
      {
        decimals: 1,
      },
    ),
  ];
}

function updateReadme(table: string, meta: string): void {
  const start = "<!-- bench:table:start -->";
  const end = "<!-- bench:table:end -->";
  const text = readFileSync(README, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`bench/README.md has no ${start} … ${end} markers`);
  const block = `${start}\n${meta}\n\n\`\`\`text\n${table}\n\`\`\`\n${end}`;
  writeFileSync(README, text.slice(0, from) + block + text.slice(to + end.length));
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      readme: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const mode = flags.quick ? QUICK : FULL;
  const startedAt = new Date();
  const started = performance.now();
  const loadBefore = os.loadavg();
  const registry = new ProcessRegistry();
  const warnings: string[] = [];

  let stopping = false;
  const shutdown = (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    log(why);
    void registry.stopAll().finally(() => process.exit(code));
    setTimeout(() => process.exit(code), 10_000).unref();
  };
  process.once("SIGINT", () => shutdown(130, "interrupted; stopping the servers"));
  process.once("SIGTERM", () => shutdown(143, "terminated; stopping the servers"));
  process.once("exit", () => registry.killAllSync());

  try {
    log(
      `${mode.name} run on ${os.cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`,
    );
    if (loadBefore[0] !== undefined && loadBefore[0] > os.cpus().length) {
      warnings.push(
        `load average was ${loadBefore[0].toFixed(2)} on ${os.cpus().length} CPUs at the start: other work competed with the benchmark`,
      );
    }
    const sandboxPort = await freePort(...PORT_RANGE);
    const appPort = await freePort(...PORT_RANGE, [sandboxPort]);
    const concurrency = parseEnv({ NODE_ENV: "production" }).EXPORT_CONCURRENCY;

    log(
      `starting the sandbox on ${sandboxPort} (${mode.telnyxUsers} Telnyx / ${mode.openaiUsers} OpenAI users)`,
    );
    const [build, sandbox] = await Promise.all([
      ensureBuild(registry, mode, { build: flags.build, noBuild: flags["no-build"] }),
      startSandboxProcess(registry, {
        port: sandboxPort,
        telnyxUsers: mode.telnyxUsers,
        openaiUsers: mode.openaiUsers,
      }),
    ]);
    // The watchdog starts after the build, whose time depends on the machine's caches.
    const watchdog = setTimeout(
      () => shutdown(1, `watchdog: the benchmark ran over ${mode.watchdogMs / 60_000} min`),
      mode.watchdogMs,
    );
    watchdog.unref();

    log(`starting Roster (next start) on ${appPort}`);
    const app = await startApp(registry, {
      distDir: build.distDir,
      port: appPort,
      sandboxUrl: sandbox.url,
    });
    log(`Roster is up; server pid ${app.serverPid}`);
    const token = await mintSessionToken(app.secret);
    const cookie = cookieHeader(token);

    log("export speed and memory");
    // Export first, while the server has only been warmed up, so that its idle RSS is not what earlier load left behind.
    // The warm-up (at 0 ms) loads the routes and both vendor clients without reading many users:
    // a Telnyx export the vendor filters down to nothing, and one OpenAI page.
    await warmUp({
      appUrl: app.url,
      cookie,
      paths: [
        "/api/telnyx/users/export?email=no-such-user.bench",
        "/api/openai/users?limit=1",
        "/api/telnyx/users?limit=1",
      ],
    });
    await sandbox.setFaults({ latencyMs: mode.latencyMs, jitterMs: 0 });
    const exports = await runExports({
      appUrl: app.url,
      sandboxUrl: sandbox.url,
      cookie,
      serverPid: app.serverPid,
      users: sandbox.users,
      runs: mode.exportRuns,
      timeoutMs: 180_000,
      log,
    });
    await sandbox.setFaults({ latencyMs: 0, jitterMs: 0 });
    for (const provider of ["telnyx", "openai"] as const) {
      const diff = exports.providers[provider].difference;
      if (diff)
        warnings.push(
          `${provider}: the export's CSV differs from the SDK loop's (same ids): ${diff}`,
        );
    }
    if (!exports.memory.usedHwm.some(Boolean) && exports.memory.samples.every((n) => n < 20)) {
      warnings.push("export memory: fewer than 20 RSS samples per export; the peak may be missed");
    }

    log("API overhead");
    const api = await runApiBench({
      targets: apiTargets(app.url, sandbox.url, cookie),
      connections: mode.connections,
      rounds: mode.apiRounds,
      durationSec: mode.apiSeconds,
      warmupSec: mode.apiWarmupSeconds,
      log,
    });

    // After the API figures: the syncs grow the server's memory and database.
    log("directory");
    await sandbox.setFaults({ latencyMs: mode.latencyMs, jitterMs: 0 });
    let directory: DirectoryResults | null = null;
    try {
      directory = await runDirectoryBench({
        appUrl: app.url,
        cookie,
        serverPid: app.serverPid,
        users: sandbox.users,
        latencyMs: mode.latencyMs,
        concurrency,
        timeoutMs: 240_000,
        log,
      });
    } finally {
      await sandbox.setFaults({ latencyMs: 0, jitterMs: 0 });
    }

    log("dashboard");
    const dashboard = await runDashboard({
      appUrl: app.url,
      token,
      runs: mode.dashboardRuns,
      targetRows: Math.min(mode.dashboardRows, sandbox.users.telnyx),
      rowsTimeoutMs: 120_000,
      log,
    });
    clearTimeout(watchdog);

    const figures = [
      ...apiFigures(api, mode),
      ...exportFigures(exports, mode, concurrency, sandbox.users),
      ...dashboardFigures(dashboard),
      ...directoryFigures(directory),
    ];
    const table = renderTable(figures);
    const seconds = (performance.now() - started) / 1000;
    const commit = git(["rev-parse", "HEAD"]);
    const dirty = (git(["status", "--porcelain"]) ?? "") !== "";
    const meta = `${mode.name} run, ${startedAt.toISOString()}, commit ${commit?.slice(0, 12) ?? "unknown"}${dirty ? " (uncommitted changes)" : ""}, Node ${process.version}, ${os.cpus().length} CPUs, ${seconds.toFixed(0)} s${build.built ? ` including a ${build.seconds.toFixed(0)} s build` : ""}`;

    console.log(`\nRoster benchmark: ${meta}\n`);
    console.log(table);
    if (mode.name === "quick")
      console.log(
        "\n(quick sizes: the targets are meant for the full run; a miss here does not fail it)",
      );
    for (const warning of warnings) console.log(`warning: ${warning}`);

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, mode.name === "quick" ? "quick.json" : "latest.json");
    writeJson(file, {
      mode: mode.name,
      date: startedAt.toISOString(),
      commit,
      dirty,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      loadAverage: { start: loadBefore, end: os.loadavg() },
      durationSeconds: Math.round(seconds),
      build,
      config: { ...mode, exportConcurrency: concurrency, distDir: build.distDir },
      targets: figures
        .filter((f) => f.target)
        .map((f) => ({
          id: f.id,
          label: f.label,
          ...f.target,
          median: f.median,
          max: f.max,
          status: f.status,
        })),
      figures: figuresById(figures),
      checks: {
        telnyxRows: exports.providers.telnyx.rows,
        openaiRows: exports.providers.openai.rows,
        sandboxUsers: sandbox.users,
        telnyxXTotalCount: exports.providers.telnyx.totalHeader,
        exportCsvIdenticalToSdkLoop: {
          telnyx: exports.providers.telnyx.identicalToSdk,
          openai: exports.providers.openai.identicalToSdk,
        },
        memoryPeakFromVmHWM: exports.memory.usedHwm,
        memorySamplesPerExport: exports.memory.samples,
      },
      firstLoadJs: {
        beforeFirstRow: dashboard.firstLoadJs.files.map(({ path: file, bytes, gzip }) => ({
          path: file,
          bytes,
          gzip,
        })),
        afterFirstRow: dashboard.firstLoadJs.lazyFiles.map(({ path: file, bytes, gzip }) => ({
          path: file,
          bytes,
          gzip,
        })),
      },
      warnings,
      table,
    });
    log(`wrote ${path.relative(ROOT, file)}`);
    if (flags.readme) {
      updateReadme(table, meta);
      log("updated the table in bench/README.md");
    }
    return 0;
  } catch (error) {
    log(
      `measurement failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  } finally {
    await registry.stopAll();
  }
}

const code = await main();
process.exit(code);
