import "server-only";

import { and, count, desc, eq, gt, inArray, isNull, notInArray, or, sql } from "drizzle-orm";

import { databaseNow } from "@/lib/db/clock";
import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";

import { currentSnapshot } from "./read";

/** How often each instance checks what is due (`startSchedule`). */
export const SCHEDULE_TICK_MS = 60_000;

/** After a failed sync the next scheduled try waits this long, doubling with each failure in a row. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * Failures that say nothing about the vendor: an instance stopped or died, or
 * its database went away under the sync (a restart). The next try is at once.
 */
const NOT_THE_VENDOR = ["server_stopped", "sync_abandoned", "database_unavailable"];

/** SYNC_INTERVAL_MINUTES in milliseconds; 0: the schedule is off. */
export function scheduleIntervalMs(): number {
  return serverEnv().SYNC_INTERVAL_MINUTES * 60_000;
}

/**
 * The vendors the schedule should sync now: those whose next scheduled sync
 * (`nextSyncDue`) is not in the future.
 *
 * Every time is the database's clock, which dates the snapshots: instances
 * whose own clocks disagree agree on what is due.
 */
export async function syncsDue(
  db: Db,
  providers: readonly ProviderId[],
  intervalMs: number,
): Promise<ProviderId[]> {
  const now = (await databaseNow(db)).getTime();
  const due: ProviderId[] = [];
  for (const provider of providers) {
    const next = await nextSyncDue(db, provider, intervalMs);
    if (next === null || next.getTime() <= now) due.push(provider);
  }
  return due;
}

/**
 * When the schedule syncs `provider` next, on the database's clock (a time
 * past: it is due); null when nothing holds it back (no snapshot and no
 * attempt to wait for). That is the interval after its current snapshot, or
 * later when a sync since then ended badly: after the Nth failure in a row
 * the next try waits 1, 2, 4… minutes from its end (never longer than the
 * interval), so a revoked key or a long outage costs a handful of attempts an
 * hour instead of one a minute, each with its entries in the activity log.
 * After a cancel it waits the whole interval: an admin who stopped a sync
 * does not see it start again at once. A sync ended by a stopping or dead
 * instance, or by its database going away, does not hold the next one back.
 */
export async function nextSyncDue(
  db: Db,
  provider: ProviderId,
  intervalMs: number,
): Promise<Date | null> {
  const current = await currentSnapshot(db, provider);
  const wait = await waitAfterLastAttempt(db, provider, current?.id ?? 0, intervalMs);
  const times = [
    ...(current ? [current.finishedAt.getTime() + intervalMs] : []),
    ...(wait ? [wait.since.getTime() + wait.ms] : []),
  ];
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

/**
 * When a sync of `provider` is next expected to start on its own, on the
 * database's clock and never before now; null when the schedule is off
 * (`intervalMs` 0). The schedule checks every `SCHEDULE_TICK_MS`, so the sync
 * starts at that time or up to a tick after it.
 */
export async function nextScheduledSync(
  db: Db,
  provider: ProviderId,
  intervalMs: number,
): Promise<Date | null> {
  if (intervalMs <= 0) return null;
  const next = await nextSyncDue(db, provider, intervalMs);
  const now = await databaseNow(db);
  return next !== null && next > now ? next : now;
}

/** How long the attempts since the current snapshot ask the schedule to wait, and from when. */
async function waitAfterLastAttempt(
  db: Db,
  provider: ProviderId,
  afterSnapshotId: number,
  intervalMs: number,
): Promise<{ since: Date; ms: number } | null> {
  const since = and(
    eq(snapshots.provider, provider),
    gt(snapshots.id, afterSnapshotId),
    or(isNull(snapshots.errorCode), notInArray(snapshots.errorCode, NOT_THE_VENDOR)),
  );
  const [last] = await db
    .select({
      state: snapshots.state,
      endedAt: sql<Date>`coalesce(${snapshots.finishedAt}, ${snapshots.heartbeatAt})`.mapWith(
        snapshots.finishedAt,
      ),
    })
    .from(snapshots)
    .where(and(since, inArray(snapshots.state, ["failed", "cancelled"])))
    .orderBy(desc(snapshots.id))
    .limit(1);
  if (!last) return null;
  if (last.state === "cancelled") return { since: last.endedAt, ms: intervalMs };
  const [failures] = await db
    .select({ n: count() })
    .from(snapshots)
    .where(and(since, eq(snapshots.state, "failed")));
  const doublings = Math.min(Math.max((failures?.n ?? 1) - 1, 0), 30);
  return { since: last.endedAt, ms: Math.min(intervalMs, RETRY_AFTER_FAILURE_MS * 2 ** doublings) };
}
