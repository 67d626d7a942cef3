import "server-only";

import { sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { selectRows } from "@/lib/db/select-rows";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { directoryUsers } from "@/lib/db/schema";
import type { UsersReader } from "@/lib/providers/types";

import { PageGaps, SUSPECTS_PER_GAP, type OrderKey } from "./page-gaps";

/**
 * A vendor reader of numbered pages (Telnyx) whose whole-list export is
 * checked against the directory once it has read the last page: users of the
 * current snapshot whose place is between two pages the export read may have
 * been skipped by a shifted page (see page-gaps.ts), so the vendor is asked
 * about them (`confirmRemoved`), and an export that skipped one fails with
 * `list_changed` (its download ends with the failure line) instead of ending
 * short. Only an export without Roster-side or vendor filters is checked (a
 * snapshot user's status or email may have changed since, so it may not
 * belong to a filtered list), and only where a snapshot knows the user: one
 * who joined after the last sync and was skipped is not seen. Without a
 * database at hand the export goes on unchecked, as it did before.
 */
export function skipCheckedReader(vendor: UsersReader, getDb: () => Promise<Db>): UsersReader {
  if (!vendor.confirmRemoved) return vendor;
  const confirmRemoved = vendor.confirmRemoved.bind(vendor);
  return {
    id: vendor.id,
    isConfigured: () => vendor.isConfigured(),
    listUsers: (input) => vendor.listUsers(input),
    confirmRemoved,
    async *exportUsers(input) {
      if (input.filters.status !== undefined || input.filters.email !== undefined) {
        yield* vendor.exportUsers(input);
        return;
      }
      const gaps = new PageGaps();
      for await (const batch of vendor.exportUsers(input)) {
        gaps.page(batch);
        yield batch;
      }
      if (gaps.boundaries === 0 || !gaps.ordered) return;
      const suspects = await snapshotUsersInGaps(getDb, vendor.id, gaps);
      if (suspects.length === 0) return;
      await confirmRemoved(suspects, { concurrency: input.concurrency, signal: input.signal });
    },
  };
}

/**
 * The current snapshot's users of `provider` whose place is between two pages
 * read, at most SUSPECTS_PER_GAP per gap; none when the database cannot be
 * reached (logged). One statement: for each gap, the first users by vendor
 * order from its first page's last time on, through the index that lists the
 * directory (its bounds' own users come back too, and `between` drops them).
 */
async function snapshotUsersInGaps(
  getDb: () => Promise<Db>,
  provider: UsersReader["id"],
  gaps: PageGaps,
): Promise<string[]> {
  // A user without a created time sorts after every time: a gap bounded by one is not looked in.
  const bounds = gaps
    .intervals()
    .filter(([after, before]) => after.createdAt !== null && before.createdAt !== null)
    .map(([after, before]) => ({ lo: after.createdAt, hi: before.createdAt }));
  if (bounds.length === 0) return [];
  try {
    const db = await getDb();
    // The time as ISO 8601 text with its offset (JSON's form), the same from both drivers.
    const rows = await selectRows<{ id: string; created_at: string }>(
      db,
      sql`select u.user_id as id, to_json(u.created_at) #>> '{}' as created_at
          from jsonb_to_recordset(${JSON.stringify(bounds)}::jsonb) as g(lo timestamptz, hi timestamptz)
          cross join lateral (
            select ${directoryUsers.userId}, ${directoryUsers.createdAt}
            from ${directoryUsers}
            where ${directoryUsers.provider} = ${provider}
              and ${directoryUsers.toSnapshot} is null
              and ${directoryUsers.createdAt} >= g.lo
              and ${directoryUsers.createdAt} <= g.hi
            order by ${directoryUsers.createdAt}, ${directoryUsers.userId} collate "C"
            limit ${SUSPECTS_PER_GAP + 2}
          ) as u`,
    );
    const places: OrderKey[] = rows.flatMap((row) => {
      const at = new Date(row.created_at);
      // A time JavaScript cannot read (past year 9999) cannot be placed: not a suspect.
      return Number.isNaN(at.getTime()) ? [] : [{ id: row.id, createdAt: at.toISOString() }];
    });
    return gaps.between(places, SUSPECTS_PER_GAP).map((place) => place.id);
  } catch (error) {
    const reason = databaseUnavailableReason(error);
    console.warn(
      `[roster] ${provider} export: not checked for users a shifted page skipped (${reason ?? (error instanceof Error ? error.name : "error")})`,
    );
    return [];
  }
}
