import "server-only";

import { eq } from "drizzle-orm";

import { noteActivity } from "@/lib/activity/record";
import { ApiError } from "@/lib/api/errors";
import { getDb, type Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { getProvider } from "@/lib/providers";
import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";

import { SCHEDULE_TICK_MS, scheduleIntervalMs, syncsDue } from "./schedule";
import { beginSync, requestCancel, runSync, ServerStopping } from "./sync";

// This process's running syncs, so that a cancel here stops the vendor calls at once;
// a cancel from another instance reaches the sync through its snapshot row.
const runningKey = Symbol.for("roster.directory.running");
type GlobalWithJobs = typeof globalThis & {
  [runningKey]?: Map<
    number,
    { provider: ProviderId; controller: AbortController; done: Promise<unknown> }
  >;
};
function running() {
  const g = globalThis as GlobalWithJobs;
  return (g[runningKey] ??= new Map());
}

export interface StartedSync {
  provider: ProviderId;
  snapshotId: number;
}

/**
 * Starts a sync of each of `providers` that is configured and not already
 * syncing (on any instance), in the background. 409 `sync_running` when none
 * could start because they all run already.
 */
export async function startSyncs(
  providers: readonly ProviderId[],
  startedBy: string,
  db?: Db,
): Promise<StartedSync[]> {
  const conn = db ?? (await getDb());
  const started: StartedSync[] = [];
  const busy: ProviderId[] = [];
  for (const provider of providers) {
    const adapter = getProvider(provider);
    if (!adapter.isConfigured()) continue;
    try {
      const { snapshotId } = await beginSync(conn, provider, startedBy);
      // The scheduler is Roster itself: no admin.
      const admin = startedBy === "schedule" ? null : startedBy;
      await noteActivity({
        kind: "directory.sync",
        admin,
        details: { provider, snapshotId, outcome: "started" },
      });
      const controller = new AbortController();
      const began = performance.now();
      const done = runSync(conn, adapter, snapshotId, {
        concurrency: serverEnv().EXPORT_CONCURRENCY,
        signal: controller.signal,
      })
        .then(async (outcome) => {
          const [row] = await conn
            .select({
              rows: snapshots.rows,
              activityUpdated: snapshots.activityUpdated,
              error: snapshots.errorCode,
            })
            .from(snapshots)
            .where(eq(snapshots.id, snapshotId));
          await noteActivity({
            kind: "directory.sync",
            admin,
            details: {
              provider,
              snapshotId,
              outcome,
              ...(row ? { rows: row.rows } : {}),
              ...(row && outcome === "succeeded" ? { activityUpdated: row.activityUpdated } : {}),
              durationMs: Math.round(performance.now() - began),
              ...(row?.error ? { error: row.error.slice(0, 64) } : {}),
            },
          });
          return outcome;
        })
        .catch((error: unknown) => {
          // runSync records its own failures; this is the database failing under it. The
          // snapshot's lease then lapses and the next sync takes over; nothing may crash.
          console.error(
            `[roster] sync ${provider}: its end could not be recorded (${error instanceof Error ? error.name : "error"})`,
          );
          return "failed" as const;
        })
        .finally(() => running().delete(snapshotId));
      running().set(snapshotId, { provider, controller, done });
      started.push({ provider, snapshotId });
    } catch (error) {
      if (error instanceof ApiError && error.code === "sync_running") busy.push(provider);
      else throw error;
    }
  }
  if (started.length === 0 && busy.length > 0) throw alreadyRunning(busy);
  return started;
}

/** 409 `sync_running`, naming every vendor asked for whose sync runs already. */
function alreadyRunning(providers: readonly ProviderId[]): ApiError {
  const labels = providers.map((provider) => PROVIDER_LABELS[provider]);
  return new ApiError(
    "sync_running",
    labels.length === 1
      ? `A sync of ${labels[0]} is already running.`
      : `Syncs of ${labels.slice(0, -1).join(", ")} and ${labels.at(-1)} are already running.`,
  );
}

/** Every configured vendor. */
export function configuredProviders(): ProviderId[] {
  return PROVIDER_IDS.filter((id) => getProvider(id).isConfigured());
}

/**
 * Cancels `provider`'s running sync wherever it runs, and records who asked:
 * the sync's own end is recorded under whoever started it. False when none runs.
 */
export async function cancelSync(provider: ProviderId, admin: string, db?: Db): Promise<boolean> {
  const conn = db ?? (await getDb());
  const snapshotId = await requestCancel(conn, provider);
  if (snapshotId !== null) {
    await noteActivity({
      kind: "directory.sync",
      admin,
      details: { provider, snapshotId, outcome: "cancel_requested" },
    });
  }
  for (const job of running().values()) {
    if (job.provider === provider) job.controller.abort();
  }
  return snapshotId !== null;
}

/** Waits for this process's running syncs (tests, shutdown). */
export async function settleSyncs(): Promise<void> {
  await Promise.allSettled([...running().values()].map((job) => job.done));
}

/**
 * Stops this process's running syncs because the server is stopping, and
 * waits until each has recorded it: failed with `server_stopped`, the
 * previous snapshot current. The lease is free at once, so the next start
 * (here or on another instance) syncs without waiting for it to go stale.
 */
export async function stopSyncs(): Promise<void> {
  for (const job of running().values()) job.controller.abort(new ServerStopping());
  await settleSyncs();
}

/**
 * The schedule: every minute, each configured vendor whose current snapshot
 * is older than SYNC_INTERVAL_MINUTES (or missing) gets a sync, unless a recent
 * one failed (see `syncsDue`). Every instance runs the same check; the lease in
 * the database lets one sync run.
 */
export function startSchedule(): () => void {
  const intervalMs = scheduleIntervalMs();
  if (intervalMs === 0) return () => {};
  const tick = async () => {
    try {
      const db = await getDb();
      const due = await syncsDue(db, configuredProviders(), intervalMs);
      if (due.length > 0) await startSyncs(due, "schedule", db).catch(() => {});
    } catch (error) {
      console.warn(`[roster] scheduled sync: ${error instanceof Error ? error.message : error}`);
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), SCHEDULE_TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
