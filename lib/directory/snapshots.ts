import "server-only";

import { and, desc, eq, lt } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";

import type { SnapshotList, SnapshotsQuery } from "./schema";

/**
 * A vendor's succeeded snapshots, newest first, `limit` at a time: what the
 * Changes page offers to count from. Failed, cancelled and running syncs are
 * not snapshots anyone can read.
 */
export async function listSnapshots(db: Db, query: SnapshotsQuery): Promise<SnapshotList> {
  const rows = await db
    .select({ id: snapshots.id, finishedAt: snapshots.finishedAt, rows: snapshots.rows })
    .from(snapshots)
    .where(
      and(
        eq(snapshots.provider, query.provider),
        eq(snapshots.state, "succeeded"),
        query.before === undefined ? undefined : lt(snapshots.id, query.before),
      ),
    )
    .orderBy(desc(snapshots.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    provider: query.provider,
    data: page.map((row) => ({
      snapshotId: row.id,
      finishedAt: row.finishedAt?.toISOString() ?? "",
      rows: row.rows,
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}
