/**
 * `npm run bench`: Roster measured side by side with its floors (the vendor's
 * lower bound, a bare Next.js app) and the alternatives. See bench/README.md.
 *
 *   npm run bench                  full sizes, writes bench/results/latest.json
 *   npm run bench -- --quick       small sizes (CI), writes bench/results/quick.json
 *   npm run bench -- --only a,b    only these figure modules (ids below)
 *   npm run bench -- --build       rebuild even when the last build is up to date
 *   npm run bench -- --no-build    reuse the last build whatever its age
 *   npm run bench -- --readme      also regenerate the README tables from the results
 *   npm run bench -- --readme-only regenerate them from bench/results/latest.json, measuring nothing
 *
 * The runner starts the servers and orders the figure modules (bench/figures/),
 * each of which measures its own figures or says that its feature is not built.
 *
 * Exit code: 0 when every measurement was made and checked, whether or not
 * the targets were met; 1 when anything failed to measure.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { parseEnv } from "../lib/env.mjs";

import type { BenchContext, FigureModule, NotBuilt, Store } from "./context";
import { diskBytes } from "./directory";
import { apiFigure } from "./figures/api";
import { dashboardFigure } from "./figures/dashboard";
import { directoryListFigure } from "./figures/directory-list";
import { exportFigure } from "./figures/export";
import { firstLoadJsFigure } from "./figures/first-load-js";
import { firstRowFigure } from "./figures/first-row";
import { offboardingFigure } from "./figures/offboarding";
import { peopleFigure } from "./figures/people";
import { syncFigure } from "./figures/sync";
import { ensureFloorBuild, startFloor } from "./floor";
import { FULL, QUICK, type Mode } from "./modes";
import { ProcessRegistry, ephemeralPort } from "./processes";
import { readResults, updateReadmes } from "./readme";
import { figuresById, renderTable, writeJson, type Figure } from "./report";
import {
  ROOT,
  buildApp,
  isFreshBuild,
  startApp,
  startSandboxProcess,
  type BuildInfo,
} from "./servers";
import { cookieHeader, mintSessionToken } from "./session";

/**
 * The order figures are measured in. Export first, while the server has only
 * been warmed up (its idle RSS is then not what earlier load left behind);
 * the syncs after everything that reads live, since they grow the server's
 * memory and database; the directory's readers after the syncs.
 */
const MODULES: readonly FigureModule[] = [
  exportFigure,
  apiFigure,
  firstRowFigure,
  dashboardFigure,
  firstLoadJsFigure,
  syncFigure,
  directoryListFigure,
  peopleFigure,
  offboardingFigure,
];

const DIST_DIR = ".next-bench";
const RESULTS_DIR = path.join(ROOT, "bench/results");

const USAGE = `Usage: npm run bench [-- flags]
  --quick      small sizes, seconds (CI); writes bench/results/quick.json
  --only IDS   only these figure modules, comma-separated: ${MODULES.map((m) => m.id).join(", ")}
  --build      rebuild even when the last build (${DIST_DIR}) is newer than the sources
  --no-build   reuse the last build whatever its age
  --readme       also regenerate the README tables (bench/README.md, README.md) from this run
  --readme-only  regenerate them from bench/results/latest.json without measuring
Full runs write bench/results/latest.json. Exit code 1 only when a measurement failed.
BENCH_DATABASE_URL: a PostgreSQL database for the directory figures' PostgreSQL side.`;

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

function postgresSize(url: string): number {
  const out = execFileSync("psql", [url, "-Atc", "select pg_database_size(current_database())"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return Number(out.trim());
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      build: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false },
      readme: { type: "boolean", default: false },
      "readme-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags["readme-only"]) {
    await updateReadmes(readResults(path.join(RESULTS_DIR, "latest.json")));
    log("regenerated the README tables from bench/results/latest.json");
    return 0;
  }
  const only = flags.only?.split(",").map((id) => id.trim());
  const unknown = only?.filter((id) => !MODULES.some((m) => m.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown figure module ${unknown.join(", ")}\n${USAGE}`);
    return 1;
  }
  const modules = only ? MODULES.filter((m) => only.includes(m.id)) : MODULES;
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
    const concurrency = parseEnv({ NODE_ENV: "production" }).EXPORT_CONCURRENCY;
    const sandboxPort = await ephemeralPort();
    log(
      `starting the sandbox on ${sandboxPort} (${mode.telnyxUsers} Telnyx / ${mode.openaiUsers} OpenAI users)`,
    );
    // One build after the other (two at once only fight over the same cores), beside the sandbox's start.
    const builds = (async () => {
      const build = await ensureBuild(registry, mode, {
        build: flags.build,
        noBuild: flags["no-build"],
      });
      const floorBuild = await ensureFloorBuild(registry, { force: flags.build, log });
      return { build, floorBuild };
    })();
    const [{ build, floorBuild }, sandbox] = await Promise.all([
      builds,
      startSandboxProcess(registry, {
        port: sandboxPort,
        telnyxUsers: mode.telnyxUsers,
        openaiUsers: mode.openaiUsers,
      }),
    ]);
    // The watchdog starts after the builds, whose time depends on the machine's caches.
    const watchdog = setTimeout(
      () => shutdown(1, `watchdog: the benchmark ran over ${mode.watchdogMs / 60_000} min`),
      mode.watchdogMs,
    );
    watchdog.unref();

    const appPort = await ephemeralPort();
    log(`starting Roster (next start) on ${appPort}`);
    const app = await startApp(registry, {
      distDir: build.distDir,
      port: appPort,
      sandboxUrl: sandbox.url,
    });
    const floorPort = await ephemeralPort();
    log(`Roster is up (server pid ${app.serverPid}); starting the framework floor on ${floorPort}`);
    const floor = await startFloor(registry, { port: floorPort, sandboxUrl: sandbox.url });
    const token = await mintSessionToken(app.secret);
    const cookie = cookieHeader(token);

    let stores: Promise<{ stores: Store[]; missing: string | null }> | null = null;
    const openStores = async (): Promise<{ stores: Store[]; missing: string | null }> => {
      const pglite: Store = {
        kind: "PGlite",
        app,
        cookie,
        diskBytes: () => diskBytes(app.dataDir),
      };
      const databaseUrl = process.env.BENCH_DATABASE_URL;
      if (!databaseUrl) {
        return { stores: [pglite], missing: "set BENCH_DATABASE_URL to a database to measure it" };
      }
      log("starting a second Roster on BENCH_DATABASE_URL (PostgreSQL)");
      const pgApp = await startApp(registry, {
        distDir: build.distDir,
        port: await ephemeralPort(),
        sandboxUrl: sandbox.url,
        env: { DATABASE_URL: databaseUrl },
      });
      const postgres: Store = {
        kind: "PostgreSQL",
        app: pgApp,
        cookie: cookieHeader(await mintSessionToken(pgApp.secret)),
        diskBytes: () => postgresSize(databaseUrl),
      };
      return { stores: [pglite, postgres], missing: null };
    };

    const ctx: BenchContext = {
      mode,
      registry,
      sandbox,
      app,
      floor,
      build,
      token,
      cookie,
      concurrency,
      log,
      warn: (text) => warnings.push(text),
      stores: () => (stores ??= openStores()),
      async atVendorLatency(fn) {
        await sandbox.setFaults({ latencyMs: mode.latencyMs, jitterMs: 0 });
        try {
          return await fn();
        } finally {
          await sandbox.setFaults({ latencyMs: 0, jitterMs: 0 });
        }
      },
    };

    const figures: Figure[] = [];
    const notBuilt: NotBuilt[] = [];
    const notes: string[] = [];
    const details: Record<string, unknown> = {};
    for (const figureModule of modules) {
      const missing = figureModule.probe ? await figureModule.probe(ctx) : null;
      if (missing) {
        log(`${figureModule.id}: not built (${missing})`);
        notBuilt.push({ id: figureModule.id, section: figureModule.section, reason: missing });
        continue;
      }
      log(figureModule.id);
      const result = await figureModule.run(ctx);
      figures.push(...result.figures);
      notBuilt.push(...(result.notBuilt ?? []));
      notes.push(...(result.notes ?? []));
      if (result.details !== undefined) details[figureModule.id] = result.details;
    }
    clearTimeout(watchdog);

    const table = renderTable(figures, notBuilt);
    const seconds = (performance.now() - started) / 1000;
    const builtSeconds = build.seconds + floorBuild.seconds;
    const commit = git(["rev-parse", "HEAD"]);
    const dirty = (git(["status", "--porcelain"]) ?? "") !== "";
    const meta = `${mode.name} run, ${startedAt.toISOString()}, commit ${commit?.slice(0, 12) ?? "unknown"}${dirty ? " (uncommitted changes)" : ""}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore[0]?.toFixed(1) ?? "?"} at the start, ${seconds.toFixed(0)} s${builtSeconds > 0 ? ` including ${builtSeconds.toFixed(0)} s of builds` : ""}`;
    const printed = notes.length > 0 ? `${table}\n\nNotes:\n${notes.join("\n")}` : table;

    console.log(`\nRoster benchmark: ${meta}\n`);
    console.log(printed);
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
      floorBuild,
      config: {
        ...mode,
        exportConcurrency: concurrency,
        distDir: build.distDir,
        modules: modules.map((m) => m.id),
      },
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
      notBuilt,
      notes,
      details,
      warnings,
      table,
    });
    log(`wrote ${path.relative(ROOT, file)}`);
    if (flags.readme) {
      await updateReadmes(readResults(file));
      log("regenerated the README tables from the results");
    }
    return 0;
  } catch (error) {
    log(
      `measurement failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    // fetch says only "fetch failed"; the reason (refused, reset, closed) is its cause.
    if (error instanceof Error && error.cause !== undefined) log(`cause: ${String(error.cause)}`);
    // A server that died mid-measurement shows only as a refused request; say which and why
    // (after a moment: its exit can reach us after the request's failure).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const proc of registry.exitedEarly()) {
      log(`${proc.name} (pid ${proc.pid}) had exited; its last output:\n${proc.outputTail(40)}`);
    }
    return 1;
  } finally {
    await registry.stopAll();
  }
}

const code = await main();
process.exit(code);
