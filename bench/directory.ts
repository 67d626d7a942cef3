/**
 * The directory as a script sees it: `GET /api/directory/status`,
 * `POST /api/directory/sync`, and whole lists read page by page.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

import type { ProviderId } from "../lib/users/schema";

import { cpuTimeMs, delay } from "./processes";
import { jsonOf } from "./probe";

export interface ProviderStatus {
  configured?: boolean;
  current: { snapshotId: number | string; finishedAt?: string; rows?: number } | null;
  running: unknown;
  lastFailure?: unknown;
}

export interface DirectoryStatus {
  providers: Record<ProviderId, ProviderStatus>;
}

export async function directoryStatus(appUrl: string, cookie: string): Promise<DirectoryStatus> {
  const res = await fetch(`${appUrl}/api/directory/status`, {
    headers: { cookie, accept: "application/json" },
    signal: AbortSignal.timeout(15_000),
  });
  return jsonOf<DirectoryStatus>(res, "GET /api/directory/status");
}

/** How often a sync's end is polled: four times as often as the dashboard (1 s), so it barely adds to the load. */
const SYNC_POLL_MS = 250;

/**
 * Starts a sync of `provider` and waits for a new current snapshot; the wall
 * time from the request to the snapshot, ms, and the status then. The end is
 * the snapshot's own `finishedAt` (the server's clock, the same machine's), so
 * the poll can be as unhurried as the dashboard's: polled every 25 ms, the
 * status reads took CPU and the embedded database's one connection from the
 * sync being measured.
 */
export async function syncOnce(
  appUrl: string,
  cookie: string,
  provider: ProviderId,
  timeoutMs: number,
): Promise<{ ms: number; status: ProviderStatus }> {
  const before = (await directoryStatus(appUrl, cookie)).providers[provider].current?.snapshotId;
  const started = performance.now();
  const sentAt = Date.now();
  const res = await fetch(`${appUrl}/api/directory/sync`, {
    method: "POST",
    headers: { cookie, origin: appUrl, "content-type": "application/json" },
    body: JSON.stringify({ provider }),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.status !== 202) {
    throw new Error(
      `POST /api/directory/sync ${provider}: ${res.status} ${(await res.text()).slice(0, 300)}`,
    );
  }
  await res.arrayBuffer();
  // The status reads the current and the running snapshot apart: while a sync publishes on
  // PostgreSQL, one read can see neither. Two such reads in a row mean the sync ended.
  let idleReads = 0;
  for (;;) {
    const now = (await directoryStatus(appUrl, cookie)).providers[provider];
    if (now.current && now.current.snapshotId !== before) {
      const finishedAt = now.current.finishedAt ? Date.parse(now.current.finishedAt) : Number.NaN;
      const ms = Number.isNaN(finishedAt) ? performance.now() - started : finishedAt - sentAt;
      return { ms, status: now };
    }
    idleReads = now.running ? 0 : idleReads + 1;
    if (idleReads >= 2) {
      throw new Error(
        `the ${provider} sync ended without a new snapshot: ${JSON.stringify(now.lastFailure ?? null)}`,
      );
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`the ${provider} sync took over ${timeoutMs / 1000} s`);
    }
    await delay(SYNC_POLL_MS);
  }
}

/** A current snapshot of each provider, syncing those without one. */
export async function ensureSnapshots(
  appUrl: string,
  cookie: string,
  providers: readonly ProviderId[],
  timeoutMs: number,
): Promise<void> {
  const status = await directoryStatus(appUrl, cookie);
  for (const provider of providers) {
    if (!status.providers[provider].current) await syncOnce(appUrl, cookie, provider, timeoutMs);
  }
}

/** Every page of a list, following `nextCursor`: rows, pages and the wall time. */
export async function readAll(
  url: string,
  cookie: string,
): Promise<{ ms: number; rows: number; pages: number; ids: Set<string> }> {
  const started = performance.now();
  const ids = new Set<string>();
  let rows = 0;
  let pages = 0;
  let cursor: string | null = null;
  do {
    const pageUrl: string = `${url}${url.includes("?") ? "&" : "?"}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res: Response = await fetch(pageUrl, {
      headers: { cookie },
      signal: AbortSignal.timeout(60_000),
    });
    const page: { data: { id: string }[]; nextCursor: string | null } = await jsonOf<{
      data: { id: string }[];
      nextCursor: string | null;
    }>(res, `GET ${pageUrl}`);
    for (const row of page.data) ids.add(row.id);
    rows += page.data.length;
    pages++;
    cursor = page.nextCursor;
  } while (cursor);
  if (ids.size !== rows) throw new Error(`${url}: ${rows} rows but ${ids.size} distinct ids`);
  return { ms: performance.now() - started, rows, pages, ids };
}

/** Bytes under `dir` (an embedded database folder). */
export function diskBytes(dir: string): number {
  let total = 0;
  const visit = (file: string) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of readdirSync(file)) visit(path.join(file, entry));
    else total += stat.size;
  };
  visit(dir);
  return total;
}

/**
 * `measure()` once the server is done: its value unchanged over `windowMs`
 * while the server (`pid`) used under a tenth of a core, or the last one
 * after `timeoutMs`. A sync goes on working after its snapshot is current
 * (on PGlite it gives its staged rows' space back), and a size read at that
 * moment would count what it had not yet done.
 */
export async function whenSettled(
  pid: number,
  measure: () => number,
  { windowMs = 1_000, timeoutMs = 30_000 } = {},
): Promise<number> {
  const giveUpAt = performance.now() + timeoutMs;
  let value = measure();
  let cpu = cpuTimeMs(pid);
  for (;;) {
    await delay(windowMs);
    const next = measure();
    const nextCpu = cpuTimeMs(pid);
    const quiet = next === value && nextCpu - cpu < windowMs / 10;
    value = next;
    cpu = nextCpu;
    if (quiet || performance.now() > giveUpAt) return value;
  }
}
