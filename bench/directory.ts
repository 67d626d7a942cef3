/**
 * The directory, measured on the running app: a sync of each vendor against
 * the export's lower bound (the fewest vendor round trips it could take) with
 * the server's RSS growth, then the whole OpenAI `status=blocked` list read
 * live (Roster scans every vendor page) and from the directory, side by side.
 */
import type { ProviderId } from "../lib/users/schema";

import { lowerBound } from "./export";
import { idleRss, RssSampler } from "./memory";
import { figure, type Figure } from "./report";

interface Status {
  providers: Record<ProviderId, { current: { snapshotId: number } | null; running: unknown }>;
}

export interface DirectoryResults {
  sync: Record<ProviderId, { ms: number; boundMs: number; rows: number; rssGrowth: number }>;
  blocked: { liveMs: number; directoryMs: number; liveRows: number; directoryRows: number };
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function syncOnce(
  appUrl: string,
  cookie: string,
  provider: ProviderId,
  timeoutMs: number,
): Promise<number> {
  const status = () => json<Status>(`${appUrl}/api/directory/status`, { headers: { cookie } });
  const before = (await status()).providers[provider].current?.snapshotId ?? 0;
  const started = performance.now();
  await json(`${appUrl}/api/directory/sync`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ provider }),
  });
  for (;;) {
    const now = (await status()).providers[provider];
    if ((now.current?.snapshotId ?? 0) > before) return performance.now() - started;
    if (!now.running) throw new Error(`the ${provider} sync ended without a new snapshot`);
    if (performance.now() - started > timeoutMs) throw new Error(`the ${provider} sync timed out`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every page of a list, following `nextCursor`; the rows and the wall time. */
async function readAll(url: string, cookie: string): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  let cursor: string | null = null;
  do {
    const page: { data: unknown[]; nextCursor: string | null } = await json(
      `${url}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { headers: { cookie } },
    );
    rows += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return { ms: performance.now() - started, rows };
}

export async function runDirectoryBench(input: {
  appUrl: string;
  cookie: string;
  serverPid: number;
  users: Record<ProviderId, number>;
  latencyMs: number;
  concurrency: number;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<DirectoryResults> {
  const sync = {} as DirectoryResults["sync"];
  for (const provider of ["telnyx", "openai"] as const) {
    input.log(`directory: sync of ${provider}`);
    const idle = await idleRss(input.serverPid);
    const sampler = new RssSampler(input.serverPid);
    sampler.start();
    const ms = await syncOnce(input.appUrl, input.cookie, provider, input.timeoutMs);
    const { peak } = sampler.stop();
    const bound = lowerBound(provider, input.users[provider], input.latencyMs, input.concurrency);
    sync[provider] = { ms, boundMs: bound.ms, rows: input.users[provider], rssGrowth: peak - idle };
  }
  input.log("directory: OpenAI status=blocked, live and from the directory");
  const live = await readAll(`${input.appUrl}/api/openai/users?status=blocked`, input.cookie);
  const stored = await readAll(
    `${input.appUrl}/api/openai/users?status=blocked&source=directory`,
    input.cookie,
  );
  if (stored.rows !== live.rows) {
    throw new Error(`directory listed ${stored.rows} blocked users, live ${live.rows}`);
  }
  return {
    sync,
    blocked: {
      liveMs: live.ms,
      directoryMs: stored.ms,
      liveRows: live.rows,
      directoryRows: stored.rows,
    },
  };
}

const MiB = 1024 * 1024;

export function directoryFigures(results: DirectoryResults): Figure[] {
  const section = "Directory";
  const figures: Figure[] = [];
  for (const provider of ["telnyx", "openai"] as const) {
    const { ms, boundMs, rows, rssGrowth } = results.sync[provider];
    figures.push(
      figure(
        `directory.sync.${provider}.to_bound`,
        section,
        `${provider} sync, wall time / export lower bound (${rows} users)`,
        "×",
        [ms / Math.max(1, boundMs)],
        { target: { op: "<=", value: 1.2, by: "median" } },
      ),
      figure(
        `directory.sync.${provider}.rows_per_s`,
        section,
        `${provider} sync, rows written per second`,
        "rows/s",
        [rows / (ms / 1000)],
        { decimals: 0 },
      ),
      figure(
        `directory.sync.${provider}.rss_growth`,
        section,
        `${provider} sync, server RSS growth`,
        "MiB",
        [rssGrowth / MiB],
        { decimals: 0, target: { op: "<=", value: 128, by: "max" } },
      ),
    );
  }
  const { liveMs, directoryMs } = results.blocked;
  figures.push(
    figure(
      "directory.openai_blocked.speedup",
      section,
      `OpenAI status=blocked, whole list: live / directory (${results.blocked.liveRows} users)`,
      "×",
      [liveMs / Math.max(1, directoryMs)],
      { decimals: 1, target: { op: ">=", value: 20, by: "median" } },
    ),
    figure(
      "directory.openai_blocked.directory_ms",
      section,
      "OpenAI status=blocked, whole list from the directory",
      "ms",
      [directoryMs],
      { decimals: 0, target: { op: "<=", value: 300, by: "max" } },
    ),
  );
  return figures;
}
