import "server-only";

import { and, count, eq, gt, inArray, max, min, sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { databaseTime } from "@/lib/db/clock";
import { yieldToEventLoop } from "@/lib/db/event-loop";
import { vacuumEmbedded } from "@/lib/db/reclaim";
import { selectRows } from "@/lib/db/select-rows";
import { directoryUsers, directoryVacuum, snapshots } from "@/lib/db/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

/**
 * A vacuum of `directory_users` is due once the dead rows since the last one
 * exceed autovacuum's default threshold: 50 plus a fifth of the table's rows
 * (`autovacuum_vacuum_threshold`, `autovacuum_vacuum_scale_factor`).
 */
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

/** What is due once a sync has ended. */
export interface SyncUpkeep {
  /** Fresh statistics: a tenth of the vendor changed. */
  analyze: boolean;
  /** Space may be reclaimed (PGlite, and the server is not stopping). */
  reclaim: boolean;
}

/**
 * The upkeep after a sync: the staged rows' space, then `directory_users`'s,
 * then (PGlite) the write-ahead log's.
 */
export async function upkeepAfterSync(
  db: Db,
  provider: ProviderId,
  upkeep: SyncUpkeep,
): Promise<void> {
  if (upkeep.reclaim) await reclaimStaging(db, provider);
  await upkeepUsers(db, provider, upkeep);
  if (upkeep.reclaim) await recycleWal(db, provider);
}

/**
 * A checkpoint, after which PGlite recycles the write-ahead log written
 * before it. PGlite has no checkpointer: it checkpoints only when it closes,
 * not every `checkpoint_timeout` nor past `max_wal_size` as a server does, so
 * its `pg_wal` folder grew by everything written since the server started
 * (every sync, People build and activity entry). After every sync, so the
 * log holds about what was written since the last one. A refusal costs disk,
 * never a snapshot: it is logged and the next sync tries again.
 */
async function recycleWal(db: Db, provider: ProviderId): Promise<void> {
  await yieldToEventLoop();
  await db.execute(sql`checkpoint`).catch((error: unknown) => {
    console.warn(
      `[roster] sync ${provider}: write-ahead log not recycled (${error instanceof Error ? error.name : "error"})`,
    );
  });
}

/**
 * Gives the space of the staged rows a sync has just deleted back to PGlite,
 * which runs no autovacuum: without it, every row any sync ever staged kept
 * its space for good (the table grew by what each sync staged, a first sync
 * its every user), as the free space map that new rows go to is filled in
 * only by a vacuum. Rows another vendor's sync is staging meanwhile stay. A
 * vacuum the database refuses costs disk, never a snapshot.
 */
async function reclaimStaging(db: Db, provider: ProviderId): Promise<void> {
  await yieldToEventLoop();
  await vacuumEmbedded(db, "directory_staging", `sync ${provider}: staging space not reclaimed`);
}

/**
 * Refreshes the statistics of `directory_users` and, on PGlite, gives the
 * space of the versions syncs closed back once enough of them accumulated.
 * Closing a version updates its row, as does a user's activity updated in
 * place, so the old row stays as dead space, and in every index, until a
 * vacuum; PGlite runs no autovacuum, so without this the table grew by every
 * version ever closed or updated on top of the history it keeps. Its
 * statistics' dead row count cannot tell when: they lag a sync or more behind
 * on PGlite. Roster counts instead what it knows, the versions closed and
 * updated since the last vacuum, and vacuums past autovacuum's threshold, not after
 * every sync (a vacuum reads the table on the server's own thread). Both due:
 * one pass. A refusal (a lock or statement timeout) costs disk or plans,
 * never a snapshot: it is logged and the next sync tries again.
 */
async function upkeepUsers(db: Db, provider: ProviderId, upkeep: SyncUpkeep): Promise<void> {
  let vacuum: { through: number } | null = null;
  try {
    vacuum = upkeep.reclaim ? await vacuumDue(db) : null;
    if (!vacuum && !upkeep.analyze) return;
    await yieldToEventLoop();
    if (!vacuum) {
      await db.execute(sql`analyze directory_users`);
      return;
    }
    await db.execute(
      upkeep.analyze ? sql`vacuum (analyze) directory_users` : sql`vacuum directory_users`,
    );
    await db
      .insert(directoryVacuum)
      .values({ id: 1, closedThrough: vacuum.through, vacuumedAt: databaseTime() })
      .onConflictDoUpdate({
        target: directoryVacuum.id,
        set: { closedThrough: vacuum.through, vacuumedAt: databaseTime() },
      });
  } catch (error) {
    const what = vacuum
      ? "closed versions' space not reclaimed"
      : upkeep.analyze
        ? "statistics not refreshed"
        : "vacuum not checked";
    console.warn(
      `[roster] sync ${provider}: ${what} (${error instanceof Error ? error.name : "error"})`,
    );
  }
}

/**
 * Whether the dead rows since the last vacuum exceed the threshold: the
 * versions closed at a later snapshot, and the versions those snapshots'
 * syncs updated in place (a user's activity; counted by each snapshot, as a
 * version updated again leaves another dead row). If so, up to which snapshot
 * a vacuum now reclaims them all: below the oldest sync still running (of
 * another vendor, which may publish after the vacuum), else every snapshot.
 */
async function vacuumDue(db: Db): Promise<{ through: number } | null> {
  const last = db
    .select({ through: directoryVacuum.closedThrough })
    .from(directoryVacuum)
    .where(eq(directoryVacuum.id, 1));
  const closed = db
    .select({ rows: count() })
    .from(directoryUsers)
    .where(
      and(
        // Every vendor, through the index that leads with it.
        inArray(directoryUsers.provider, PROVIDER_IDS),
        gt(directoryUsers.toSnapshot, sql`coalesce((${last}), 0)`),
      ),
    );
  const updated = db
    .select({ rows: sql`coalesce(sum(${snapshots.activityUpdated}), 0)` })
    .from(snapshots)
    .where(gt(snapshots.id, sql`coalesce((${last}), 0)`));
  const running = db
    .select({ id: sql`${min(snapshots.id)} - 1` })
    .from(snapshots)
    .where(eq(snapshots.state, "running"));
  const newest = db.select({ id: max(snapshots.id) }).from(snapshots);
  const [row] = await selectRows<{ closed: number; rows: number; through: number }>(
    db,
    sql`select (${closed})::float8 + (${updated})::float8 as closed,
          -- The planner's estimate, as autovacuum's: -1 before the table's first analyze.
          greatest((select reltuples from pg_class where oid = 'directory_users'::regclass), 0)::float8 as rows,
          coalesce((${running}), (${newest}), 0)::float8 as through`,
  );
  if (!row || row.closed <= VACUUM_BASE + VACUUM_SCALE * row.rows) return null;
  return { through: row.through };
}
