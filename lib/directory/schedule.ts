import "server-only";

import {
  and,
  count,
  eq,
  gt,
  inArray,
  isNull,
  max,
  notInArray,
  or,
  sql,
  type SQL,
} from "drizzle-orm";

import { databaseNowMs } from "@/lib/db/clock";
import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";

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
  const due: ProviderId[] = [];
  for (const provider of providers) {
    const { facts } = await readSchedule(db, provider);
    const next = nextSyncDue(facts, intervalMs);
    if (next === null || next <= facts.now) due.push(provider);
  }
  return due;
}

/** What the schedule's rules go by for one vendor, all read by one statement (`readSchedule`). */
export interface ScheduleFacts {
  /** The database's clock when it was read. */
  now: Date;
  /** The current snapshot: the last that succeeded. */
  current: { id: number; finishedAt: Date } | null;
  /**
   * The last sync since `current` that failed or was cancelled for a reason the
   * vendor answers for (not `NOT_THE_VENDOR`), and when it ended.
   */
  lastAttempt: { state: string; endedAt: Date } | null;
  /** The syncs since `current` that failed for such a reason. */
  failures: number;
}

/**
 * One statement: `provider`'s snapshots that the schedule's rules read (the
 * current one and the last attempt since), those `alsoRead` picks, and the
 * facts the rules go by (`ScheduleFacts`). The status reads its rows through
 * here, so it says what the schedule does, from the same reading, without a
 * round trip of its own for the schedule on every poll.
 */
export async function readSchedule(
  db: Db,
  provider: ProviderId,
  alsoRead?: SQL,
): Promise<{ rows: (typeof snapshots.$inferSelect)[]; facts: ScheduleFacts }> {
  const ofProvider = eq(snapshots.provider, provider);
  const currentId = db
    .select({ id: max(snapshots.id) })
    .from(snapshots)
    .where(and(ofProvider, eq(snapshots.state, "succeeded")));
  const sinceCurrent = and(
    ofProvider,
    gt(snapshots.id, sql`coalesce((${currentId}), 0)`),
    or(isNull(snapshots.errorCode), notInArray(snapshots.errorCode, NOT_THE_VENDOR)),
  );
  const lastAttemptId = db
    .select({ id: max(snapshots.id) })
    .from(snapshots)
    .where(and(sinceCurrent, inArray(snapshots.state, ["failed", "cancelled"])));
  const failures = db
    .select({ n: count() })
    .from(snapshots)
    .where(and(sinceCurrent, eq(snapshots.state, "failed")));
  // From a one-row table, so that a vendor without snapshots still reads its facts.
  const read = await db
    .select({
      snapshot: snapshots,
      nowMs: databaseNowMs(),
      currentId: sql<number | null>`(${currentId})`.mapWith(Number),
      lastAttemptId: sql<number | null>`(${lastAttemptId})`.mapWith(Number),
      failures: sql<number>`(${failures})`.mapWith(Number),
    })
    .from(sql`(values (1)) as one_row (x)`)
    .leftJoin(
      snapshots,
      and(ofProvider, or(eq(snapshots.id, currentId), eq(snapshots.id, lastAttemptId), alsoRead)),
    );
  const first = read[0]!;
  const rows = read.flatMap((row) => (row.snapshot ? [row.snapshot] : []));
  const current = rows.find((row) => row.id === first.currentId);
  const lastAttempt = rows.find((row) => row.id === first.lastAttemptId);
  return {
    rows,
    facts: {
      now: new Date(first.nowMs),
      current: current?.finishedAt ? { id: current.id, finishedAt: current.finishedAt } : null,
      lastAttempt: lastAttempt
        ? { state: lastAttempt.state, endedAt: lastAttempt.finishedAt ?? lastAttempt.heartbeatAt }
        : null,
      failures: first.failures,
    },
  };
}

/**
 * When the schedule syncs a vendor next, on the database's clock (a time
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
function nextSyncDue(facts: ScheduleFacts, intervalMs: number): Date | null {
  const { current } = facts;
  const wait = waitAfterLastAttempt(facts, intervalMs);
  const times = [
    ...(current ? [current.finishedAt.getTime() + intervalMs] : []),
    ...(wait ? [wait.since.getTime() + wait.ms] : []),
  ];
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}

/**
 * When a sync is next expected to start on its own, on the database's clock
 * and never before now; null when the schedule is off (`intervalMs` 0). The
 * schedule checks every `SCHEDULE_TICK_MS`, so the sync starts at that time
 * or up to a tick after it.
 */
export function nextScheduledAt(facts: ScheduleFacts, intervalMs: number): Date | null {
  if (intervalMs <= 0) return null;
  const next = nextSyncDue(facts, intervalMs);
  return next !== null && next > facts.now ? next : facts.now;
}

/** `nextScheduledAt` for `provider`, read on its own. */
export async function nextScheduledSync(
  db: Db,
  provider: ProviderId,
  intervalMs: number,
): Promise<Date | null> {
  if (intervalMs <= 0) return null;
  return nextScheduledAt((await readSchedule(db, provider)).facts, intervalMs);
}

/** How long the attempts since the current snapshot ask the schedule to wait, and from when. */
function waitAfterLastAttempt(
  { lastAttempt, failures }: ScheduleFacts,
  intervalMs: number,
): { since: Date; ms: number } | null {
  if (!lastAttempt) return null;
  if (lastAttempt.state === "cancelled") return { since: lastAttempt.endedAt, ms: intervalMs };
  const doublings = Math.min(Math.max(failures - 1, 0), 30);
  return {
    since: lastAttempt.endedAt,
    ms: Math.min(intervalMs, RETRY_AFTER_FAILURE_MS * 2 ** doublings),
  };
}
