import "server-only";

import { and, count, desc, eq, gt, inArray, isNull, notInArray, or, sql } from "drizzle-orm";

import { databaseNow } from "@/lib/db/clock";
import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import type { ProviderId } from "@/lib/users/schema";

import { currentSnapshot } from "./read";

/** After a failed sync the next scheduled try waits this long, doubling with each failure in a row. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

/**
 * Failures that say nothing about the vendor: an instance stopped or died, or
 * its database went away under the sync (a restart). The next try is at once.
 */
const NOT_THE_VENDOR = ["server_stopped", "sync_abandoned", "database_unavailable"];

/**
 * The vendors the schedule should sync now: those whose current snapshot is
 * older than the interval (or that have none), unless a sync since then ended
 * badly a short while ago. After the Nth failure in a row the next try waits
 * 1, 2, 4… minutes (never longer than the interval), so a revoked key or a
 * long outage costs a handful of attempts an hour instead of one a minute,
 * each with its entries in the activity log. After a cancel it waits the whole
 * interval: an admin who stopped a sync does not see it start again at once.
 * A sync ended by a stopping or dead instance does not hold the next one back.
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
    const current = await currentSnapshot(db, provider);
    if (current && now - current.finishedAt.getTime() < intervalMs) continue;
    const wait = await waitAfterLastAttempt(db, provider, current?.id ?? 0, intervalMs);
    if (!wait || now - wait.since.getTime() >= wait.ms) due.push(provider);
  }
  return due;
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
