/**
 * API overhead: Roster's `/api/{provider}/users?limit=100` against the
 * framework floor (a bare Next.js route handler passing the same vendor page
 * through) and against the page fetched straight from the sandbox, under
 * autocannon, in the same rounds.
 */
import autocannon from "autocannon";

import type { ProviderId } from "../lib/users/schema";

import { cpuTimeMs, withTimeout } from "./processes";
import { OPENAI_KEY, TELNYX_KEY } from "./servers";
import { Samples, percentile } from "./stats";

/** Roster's route, the bare Next.js route (the floor), the sandbox itself. */
export type Route = "roster" | "floor" | "direct";

export const ROUTES: readonly Route[] = ["roster", "floor", "direct"];

export interface LoadTarget {
  provider: ProviderId;
  route: Route;
  url: string;
  headers: Record<string, string>;
  /** The server process answering, whose CPU time per request is recorded. */
  pid?: number;
}

export interface LoadRun {
  /** Exact latency percentiles from every 2xx response, ms (autocannon's own histogram rounds to 1 ms). */
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  /** The answering server's CPU time (user + system) per response, ms; NaN without a pid. */
  cpuMsPerRequest: number;
}

export function apiTargets(urls: {
  appUrl: string;
  appPid: number;
  floorUrl: string;
  floorPid: number;
  sandboxUrl: string;
  sandboxPid: number;
  cookie: string;
}): Record<ProviderId, Record<Route, LoadTarget>> {
  const vendorPage: Record<ProviderId, { path: string; key: string }> = {
    telnyx: { path: "/v2/organizations/users?page%5Bsize%5D=100", key: TELNYX_KEY },
    openai: { path: "/v1/organization/users?limit=100", key: OPENAI_KEY },
  };
  const targets = (provider: ProviderId): Record<Route, LoadTarget> => ({
    roster: {
      provider,
      route: "roster",
      url: `${urls.appUrl}/api/${provider}/users?limit=100`,
      headers: { cookie: urls.cookie },
      pid: urls.appPid,
    },
    floor: {
      provider,
      route: "floor",
      url: `${urls.floorUrl}/vendor/${provider}`,
      headers: {},
      pid: urls.floorPid,
    },
    direct: {
      provider,
      route: "direct",
      url: `${urls.sandboxUrl}${vendorPage[provider].path}`,
      headers: {
        authorization: `Bearer ${vendorPage[provider].key}`,
        accept: "application/json",
      },
      pid: urls.sandboxPid,
    },
  });
  return { telnyx: targets("telnyx"), openai: targets("openai") };
}

/** One request that must return a full page of 100 users, so that the load runs measure real answers. */
export async function checkTarget(target: LoadTarget): Promise<void> {
  const res = await fetch(target.url, {
    headers: target.headers,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(
      `${target.route} ${target.provider}: ${target.url} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as { data?: unknown[] };
  if (!Array.isArray(body.data) || body.data.length !== 100) {
    throw new Error(
      `${target.route} ${target.provider}: expected 100 users, got ${Array.isArray(body.data) ? body.data.length : "no data array"}`,
    );
  }
}

export async function runLoad(
  target: LoadTarget,
  connections: number,
  durationSec: number,
  options: { warmUp?: boolean } = {},
): Promise<LoadRun> {
  const samples = new Samples();
  const cpuBefore = target.pid === undefined ? Number.NaN : cpuTimeMs(target.pid);
  let instance: ReturnType<typeof autocannon> | undefined;
  const run = new Promise<LoadRun>((resolve, reject) => {
    instance = autocannon(
      { url: target.url, connections, duration: durationSec, headers: target.headers, timeout: 10 },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
          reject(
            new Error(
              `${target.route} ${target.provider} at ${connections} connections: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
            ),
          );
          return;
        }
        // A warm-up on a busy machine may see no answer finish in time; it still warmed the server.
        if (samples.count === 0 && !options.warmUp) {
          reject(new Error(`${target.route} ${target.provider}: no responses in ${durationSec} s`));
          return;
        }
        const sorted = samples.sorted();
        const cpuAfter = target.pid === undefined ? Number.NaN : cpuTimeMs(target.pid);
        resolve({
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          rps: samples.count / result.duration,
          requests: samples.count,
          cpuMsPerRequest: (cpuAfter - cpuBefore) / samples.count,
        });
      },
    );
    instance.on(
      "response",
      (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
      },
    );
  });
  try {
    return await withTimeout(run, durationSec * 1000 + 30_000, `autocannon against ${target.url}`);
  } catch (error) {
    instance?.stop();
    throw error;
  }
}

export interface ApiCase {
  provider: ProviderId;
  connections: number;
  runs: Record<Route, LoadRun[]>;
}

/**
 * For each provider and connection count, Roster, the floor and the sandbox
 * one after the other, `rounds` times, rotating which goes first each round,
 * so that changes in machine load hit every side.
 */
export async function runApiBench(input: {
  targets: Record<ProviderId, Record<Route, LoadTarget>>;
  connections: number[];
  rounds: number;
  durationSec: number;
  warmupSec: number;
  log: (line: string) => void;
}): Promise<ApiCase[]> {
  const providers = ["telnyx", "openai"] as const;
  for (const provider of providers) {
    for (const route of ROUTES) {
      const target = input.targets[provider][route];
      await checkTarget(target);
      await runLoad(target, Math.max(...input.connections), input.warmupSec, { warmUp: true });
    }
  }
  const cases: ApiCase[] = providers.flatMap((provider) =>
    input.connections.map((connections) => ({
      provider,
      connections,
      runs: { roster: [], floor: [], direct: [] },
    })),
  );
  for (let round = 0; round < input.rounds; round++) {
    for (const [i, apiCase] of cases.entries()) {
      const shift = (round + i) % ROUTES.length;
      const order = [...ROUTES.slice(shift), ...ROUTES.slice(0, shift)];
      for (const route of order) {
        const result = await runLoad(
          input.targets[apiCase.provider][route],
          apiCase.connections,
          input.durationSec,
        );
        apiCase.runs[route].push(result);
      }
      const [r, f, d] = ROUTES.map((route) => apiCase.runs[route].at(-1));
      if (r && f && d) {
        input.log(
          `  round ${round + 1} ${apiCase.provider} c=${apiCase.connections}: p50 ${r.p50.toFixed(2)} / ${f.p50.toFixed(2)} / ${d.p50.toFixed(2)} ms, ${r.rps.toFixed(0)} / ${f.rps.toFixed(0)} / ${d.rps.toFixed(0)} req/s (Roster / floor / sandbox)`,
        );
      }
    }
  }
  return cases;
}
