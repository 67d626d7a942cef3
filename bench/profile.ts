/**
 * Where Roster's time goes under load: a second Roster server started with
 * Next.js's own `--experimental-cpu-prof`, loaded with autocannon, stopped
 * (Next writes the V8 profile on SIGTERM), and the profile summed by self time.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { LoadTarget } from "./api";
import { runLoad } from "./api";
import type { ProcessRegistry } from "./processes";
import { ephemeralPort } from "./processes";
import { ROOT, startApp } from "./servers";
import { cookieHeader, mintSessionToken } from "./session";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  /** 0-based, as V8 writes it; a minified chunk is one line, so the line alone names no function. */
  columnNumber?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** µs on the system's monotonic clock, as process.hrtime() reads it. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Now on the monotonic clock V8 stamps its profiles with, µs. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface ProfileSummary {
  /** Sampled CPU time that was not idle, ms. */
  busyMs: number;
  requests: number;
  /** Busy CPU per request, ms. */
  cpuPerRequestMs: number;
  /** Self time by where the code comes from, largest first (share of busy time). */
  byOrigin: { origin: string; ms: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { name: string; origin: string; ms: number; share: number }[];
}

/** Where a frame of the server bundle was written: its source file (relative to the project), line and name. */
export interface OriginalPosition {
  source: string;
  /** 1-based. */
  line: number;
  /** The name the source map gives the position (the function's own, where the bundler kept it). */
  name?: string;
}

export type FrameResolver = (frame: CallFrame) => OriginalPosition | null;

/**
 * Maps frames of the built server's chunks back to their sources through the
 * chunks' source maps (`<chunk>.js.map`, which `next build` writes beside
 * them), read once each with Node's own `SourceMap`. A frame outside
 * `<root>/<distDir>/server/`, or one no map covers, resolves to null.
 */
export function sourceMapResolver(root: string, distDir: string): FrameResolver {
  const serverDir = path.join(root, distDir, "server") + path.sep;
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    let map = maps.get(file);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
      } catch {
        map = null;
      }
      maps.set(file, map);
    }
    return map;
  };
  return (frame) => {
    if (!frame.url.startsWith("file:")) return null;
    const file = fileURLToPath(frame.url);
    if (!file.startsWith(serverDir)) return null;
    // V8's frames are 0-based; findOrigin takes 1-based positions, as a stack trace has them.
    const origin = mapOf(file)?.findOrigin(frame.lineNumber + 1, (frame.columnNumber ?? 0) + 1);
    if (!origin || !("fileName" in origin)) return null;
    const source = origin.fileName.startsWith("file:")
      ? fileURLToPath(origin.fileName)
      : path.resolve(path.dirname(file), origin.fileName);
    return {
      source: path.relative(root, source).split(path.sep).join("/"),
      line: origin.lineNumber,
      ...(origin.name ? { name: origin.name } : {}),
    };
  };
}

/** Which package, or which of Roster's folders, a source file of the bundle is from. */
export function originOfSource(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  if (pkg) return `${pkg} (bundled)`;
  return `Roster's code (${source.split("/")[0] ?? source})`;
}

/** Which package or part of the build a function comes from. */
export function originOf(frame: CallFrame, distDir: string): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(garbage collector)") return "V8 garbage collector";
    return "V8 and Node.js native code";
  }
  if (url.includes("undici")) return "undici (Node.js fetch)";
  if (url.startsWith("node:")) return "Node.js internals";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg === "next") {
    return url.includes("/compiled/") ? "next (bundled vendor code)" : "next (server runtime)";
  }
  if (pkg) return pkg;
  if (url.includes(`/${distDir}/server/`))
    return "Roster's server bundle (app code and bundled packages)";
  return "other";
}

/**
 * Self time by function and origin. With `window` (µs on the profile's clock),
 * only the samples taken inside it count: the load, not the server's start.
 */
export function summarizeProfile(
  profile: CpuProfile,
  distDir: string,
  requests: number,
  window: { fromUs: number; toUs: number } | null = null,
  top = 12,
  resolve: FrameResolver = () => null,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  }
  const origins = new Map<string, number>();
  const functions = new Map<string, { name: string; origin: string; ms: number }>();
  let busyMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    busyMs += ms;
    const original = resolve(frame);
    const origin = original ? originOfSource(original.source) : originOf(frame, distDir);
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
    const file = frame.url ? path.basename(frame.url) : "";
    // Line and column: in a minified chunk (one line) every function named `r` would otherwise be one entry.
    const column = frame.columnNumber === undefined ? "" : `:${frame.columnNumber + 1}`;
    const name = original
      ? `${original.name ?? (frame.functionName || "(anonymous)")} ${original.source}:${original.line}`
      : `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}${column}` : ""}`;
    const entry = functions.get(name) ?? { name, origin, ms: 0 };
    entry.ms += ms;
    functions.set(name, entry);
  }
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  return {
    busyMs,
    requests,
    cpuPerRequestMs: requests > 0 ? busyMs / requests : Number.NaN,
    byOrigin: [...origins]
      .map(([origin, ms]) => ({ origin, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, share: share(f.ms) })),
  };
}

export function formatProfile(title: string, summary: ProfileSummary): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  return [
    `${title}: ${summary.busyMs.toFixed(0)} ms of CPU for ${summary.requests} requests, ${summary.cpuPerRequestMs.toFixed(2)} ms per request`,
    "  by origin (self time):",
    ...summary.byOrigin.slice(0, 10).map((o) => `    ${pct(o.share)}  ${o.origin}`),
    "  top functions (self time):",
    ...summary.topFunctions.map((f) => `    ${pct(f.share)}  ${f.name}  [${f.origin}]`),
  ];
}

/**
 * Profiles Roster's list route for one provider at `connections` for
 * `seconds`, on a server of its own (the measured one stays unprofiled).
 */
export async function profileListRoute(input: {
  registry: ProcessRegistry;
  distDir: string;
  sandboxUrl: string;
  provider: "telnyx" | "openai";
  connections: number;
  seconds: number;
}): Promise<ProfileSummary> {
  const port = await ephemeralPort();
  const app = await startApp(input.registry, {
    distDir: input.distDir,
    port,
    sandboxUrl: input.sandboxUrl,
    extraArgs: ["--experimental-cpu-prof"],
  });
  try {
    const cookie = cookieHeader(await mintSessionToken(app.secret));
    const target: LoadTarget = {
      provider: input.provider,
      route: "roster",
      url: `${app.url}/api/${input.provider}/users?limit=100`,
      headers: { cookie },
    };
    // Warm, so that the profile shows the steady state rather than compilation.
    await runLoad(target, input.connections, 1, { warmUp: true });
    const fromUs = monotonicMicros();
    const run = await runLoad(target, input.connections, input.seconds);
    const toUs = monotonicMicros();
    await input.registry.stop(app.proc, 15_000);
    // Next writes into <project>/.next-profiles; take the newest start profile and remove it.
    const dir = path.join(ROOT, ".next-profiles");
    const files = readdirSync(dir)
      .filter((f) => f.startsWith("start-main-") && f.endsWith(".cpuprofile"))
      .sort();
    const file = files.at(-1);
    if (!file) throw new Error("the profiled server wrote no CPU profile into .next-profiles");
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    for (const f of files) rmSync(path.join(dir, f), { force: true });
    const summary = summarizeProfile(
      profile,
      input.distDir,
      run.requests,
      { fromUs, toUs },
      12,
      sourceMapResolver(ROOT, input.distDir),
    );
    if (summary.busyMs === 0) throw new Error("the CPU profile has no samples during the load");
    return summary;
  } finally {
    await input.registry.stop(app.proc);
  }
}
