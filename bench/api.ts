/**
 * API overhead: Roster's `/api/{provider}/users?limit=100` against the same
 * vendor page fetched straight from the sandbox, under autocannon.
 */
import autocannon from "autocannon";

import type { ProviderId } from "../lib/users/schema";

import { withTimeout } from "./processes";
import { OPENAI_KEY, TELNYX_KEY } from "./servers";
import { Samples, percentile } from "./stats";

export type Route = "proxied" | "direct";

export interface LoadTarget {
  provider: ProviderId;
  route: Route;
  url: string;
  headers: Record<string, string>;
}

export interface LoadRun {
  /** Exact latency percentiles from every 2xx response, ms (autocannon's own histogram rounds to 1 ms). */
  p50: number;
  p99: number;
  rps: number;
  requests: number;
}

export function apiTargets(
  appUrl: string,
  sandboxUrl: string,
  cookie: string,
): Record<ProviderId, Record<Route, LoadTarget>> {
  return {
    telnyx: {
      proxied: {
        provider: "telnyx",
        route: "proxied",
        url: `${appUrl}/api/telnyx/users?limit=100`,
        headers: { cookie },
      },
      direct: {
        provider: "telnyx",
        route: "direct",
        url: `${sandboxUrl}/v2/organizations/users?page%5Bsize%5D=100`,
        headers: { authorization: `Bearer ${TELNYX_KEY}`, accept: "application/json" },
      },
    },
    openai: {
      proxied: {
        provider: "openai",
        route: "proxied",
        url: `${appUrl}/api/openai/users?limit=100`,
        headers: { cookie },
      },
      direct: {
        provider: "openai",
        route: "direct",
        url: `${sandboxUrl}/v1/organization/users?limit=100`,
        headers: { authorization: `Bearer ${OPENAI_KEY}`, accept: "application/json" },
      },
    },
  };
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
): Promise<LoadRun> {
  const samples = new Samples();
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
        if (samples.count === 0) {
          reject(new Error(`${target.route} ${target.provider}: no responses in ${durationSec} s`));
          return;
        }
        const sorted = samples.sorted();
        resolve({
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          rps: samples.count / result.duration,
          requests: samples.count,
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
 * For each provider and connection count, proxied and direct runs one after
 * the other, `rounds` times, swapping which goes first each round, so that
 * changes in machine load hit both sides.
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
    for (const route of ["proxied", "direct"] as const) {
      const target = input.targets[provider][route];
      await checkTarget(target);
      await runLoad(target, Math.max(...input.connections), input.warmupSec);
    }
  }
  const cases: ApiCase[] = providers.flatMap((provider) =>
    input.connections.map((connections) => ({
      provider,
      connections,
      runs: { proxied: [], direct: [] },
    })),
  );
  for (let round = 0; round < input.rounds; round++) {
    for (const [i, apiCase] of cases.entries()) {
      const order: Route[] = (round + i) % 2 === 0 ? ["proxied", "direct"] : ["direct", "proxied"];
      for (const route of order) {
        const result = await runLoad(
          input.targets[apiCase.provider][route],
          apiCase.connections,
          input.durationSec,
        );
        apiCase.runs[route].push(result);
      }
      const p = apiCase.runs.proxied.at(-1);
      const d = apiCase.runs.direct.at(-1);
      if (p && d) {
        input.log(
          `  round ${round + 1} ${apiCase.provider} c=${apiCase.connections}: p50 ${p.p50.toFixed(2)} / ${d.p50.toFixed(2)} ms, ${p.rps.toFixed(0)} / ${d.rps.toFixed(0)} req/s (proxied / direct)`,
        );
      }
    }
  }
  return cases;
}
