/**
 * API overhead: Roster's list route against the framework floor (a bare
 * Next.js route handler passing the same vendor page through) and, for
 * reference, against the sandbox answering directly; the same autocannon
 * rounds, sandbox at 0 ms. Where Roster misses the floor's targets, a CPU
 * profile of a second Roster server says where the time goes.
 */
import { apiTargets, runApiBench, ROUTES, type ApiCase, type Route } from "../api";
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { TARGETS } from "../modes";
import { formatProfile, profileListRoute } from "../profile";
import { figure, type Figure } from "../report";
import { pairedRatios } from "../stats";

const ROUTE_LABEL: Record<Route, string> = {
  roster: "Roster",
  floor: "floor",
  direct: "sandbox direct",
};

function caseFigures(c: ApiCase, section: string): Figure[] {
  const key = `api.${c.provider}.c${c.connections}`;
  const name = `${c.provider} c=${c.connections}`;
  const values = (route: Route, metric: "p50" | "p99" | "rps" | "cpuMsPerRequest") =>
    c.runs[route].map((run) => run[metric]);
  const out: Figure[] = [];
  for (const [metric, label, unit, decimals] of [
    ["p50", "median latency", "ms", 2],
    ["p99", "p99 latency", "ms", 2],
    ["rps", "requests/s", "req/s", 0],
    ["cpuMsPerRequest", "server CPU per request", "ms", 2],
  ] as const) {
    for (const route of ROUTES) {
      out.push(
        figure(
          `${key}.${metric}.${route}`,
          section,
          `${name} ${label} ${ROUTE_LABEL[route]}`,
          unit,
          values(route, metric),
          { decimals },
        ),
      );
    }
    const toFloor = pairedRatios(values("roster", metric), values("floor", metric));
    const target =
      metric === "p50"
        ? ({ op: "<=", value: TARGETS.apiLatencyToFloor, by: "median" } as const)
        : metric === "rps"
          ? ({ op: ">=", value: TARGETS.apiRpsToFloor, by: "median" } as const)
          : undefined;
    out.push(
      figure(
        `${key}.${metric}.to_floor`,
        section,
        `${name} ${label} Roster / floor`,
        "×",
        toFloor,
        {
          decimals: 2,
          ...(target ? { target } : {}),
        },
      ),
    );
    if (metric === "p50") {
      out.push(
        figure(
          `${key}.p50.to_direct`,
          section,
          `${name} median latency Roster / sandbox direct (reference)`,
          "×",
          pairedRatios(values("roster", "p50"), values("direct", "p50")),
          { decimals: 2 },
        ),
      );
    }
  }
  return out;
}

export const apiFigure: FigureModule = {
  id: "api",
  section: "API overhead",
  async run(ctx: BenchContext): Promise<FigureResult> {
    const { mode } = ctx;
    const cases = await runApiBench({
      targets: apiTargets({
        appUrl: ctx.app.url,
        appPid: ctx.app.serverPid,
        floorUrl: ctx.floor.url,
        floorPid: ctx.floor.serverPid,
        sandboxUrl: ctx.sandbox.url,
        sandboxPid: ctx.sandbox.proc.pid,
        cookie: ctx.cookie,
      }),
      connections: mode.connections,
      rounds: mode.apiRounds,
      durationSec: mode.apiSeconds,
      warmupSec: mode.apiWarmupSeconds,
      log: ctx.log,
    });
    const section = `API overhead: /api/{provider}/users?limit=100 against the framework floor (bare Next.js route handler passing the vendor page through) and the sandbox direct; sandbox 0 ms; ${mode.apiRounds} round${mode.apiRounds === 1 ? "" : "s"} × ${mode.apiSeconds} s per side, interleaved`;
    const figures = cases.flatMap((c) => caseFigures(c, section));

    const missed = figures.filter((f) => f.status === "MISS");
    const notes: string[] = [];
    if (missed.length > 0) {
      // The provider with the worst latency ratio at the fewest connections is the one profiled.
      const worst = cases
        .filter((c) => c.connections === Math.min(...mode.connections))
        .map((c) => ({
          c,
          ratio:
            figures.find((f) => f.id === `api.${c.provider}.c${c.connections}.p50.to_floor`)
              ?.median ?? 0,
        }))
        .sort((a, b) => b.ratio - a.ratio)[0]?.c;
      if (worst) {
        ctx.log(
          `  Roster missed the floor (${missed.map((f) => f.id).join(", ")}); profiling ${worst.provider} at c=${worst.connections}`,
        );
        const summary = await profileListRoute({
          registry: ctx.registry,
          distDir: ctx.build.distDir,
          sandboxUrl: ctx.sandbox.url,
          provider: worst.provider,
          connections: worst.connections,
          seconds: mode.profileSeconds,
        });
        const cpu = (route: Route) =>
          figures.find(
            (f) => f.id === `api.${worst.provider}.c${worst.connections}.cpuMsPerRequest.${route}`,
          )?.median ?? Number.NaN;
        notes.push(
          `Roster missed the framework floor on ${missed.map((f) => f.id).join(", ")}.`,
          `Server CPU per request (${worst.provider} c=${worst.connections}, from /proc): Roster ${cpu("roster").toFixed(2)} ms, floor ${cpu("floor").toFixed(2)} ms, sandbox ${cpu("direct").toFixed(2)} ms.`,
          ...formatProfile(
            `CPU profile of a second Roster server under the same load (${worst.provider} c=${worst.connections}, ${mode.profileSeconds} s, next start --experimental-cpu-prof; the profiler adds its own cost, so read the shares)`,
            summary,
          ),
        );
        return { figures, notes, details: { profile: summary } };
      }
    }
    return { figures, notes };
  },
};
