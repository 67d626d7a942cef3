import "server-only";

import { and, sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { selectRows } from "@/lib/db/select-rows";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { directoryUsers } from "@/lib/db/schema";
import type { UsersReader } from "@/lib/providers/types";
import type { UsersFilters } from "@/lib/users/schema";

import { PageGaps, SUSPECTS_PER_GAP, type OrderKey } from "./page-gaps";
import { filterConditions } from "./read";

/**
 * A vendor reader of numbered pages (Telnyx) checked against the directory
 * for users a shifted page skipped (see page-gaps.ts): users of the current
 * snapshot whose place is between two pages read are asked about
 * (`confirmRemoved`), and one the vendor still lists fails the read with
 * `list_changed` instead of leaving it out.
 *
 * - An export is checked once it has read its last page (its download then
 *   ends with the failure line).
 * - A page of the live list is checked against the page before it, whose last
 *   user's place its cursor carries; the database gets `LIST_CHECK_WAIT_MS`
 *   to answer (on PGlite a sync's publish holds its one connection for
 *   seconds, and a server may be out of reach), after which the page is
 *   served unchecked, as it would be without the directory.
 *
 * A filtered read (status, email) is checked against the snapshot's users
 * that matched the same filters, and a user the vendor still lists counts
 * only while it still matches them (its status or email may have changed
 * since the sync). Only users a snapshot knows are seen: one who joined, or
 * came to match the filters, after the last sync and was skipped is not.
 * Without a database at hand the read goes on unchecked, as it did before,
 * with a warning in the log.
 */
export function skipCheckedReader(
  vendor: UsersReader,
  getDb: () => Promise<Db>,
  options: SkipCheckOptions = {},
): UsersReader {
  if (!vendor.confirmRemoved) return vendor;
  const confirmRemoved = vendor.confirmRemoved.bind(vendor);
  const listWaitMs = options.listWaitMs ?? LIST_CHECK_WAIT_MS;
  return {
    id: vendor.id,
    isConfigured: () => vendor.isConfigured(),
    async listUsers(input) {
      const result = await vendor.listUsers(input);
      const last = input.position?.kind === "page" ? input.position.last : undefined;
      if (!last || result.data.length === 0) return result;
      const gaps = new PageGaps();
      gaps.page([last]);
      gaps.page(result.data);
      if (gaps.boundaries === 0 || !gaps.ordered) return result;
      const suspects = await snapshotUsersInGaps(getDb, vendor.id, gaps, input.filters, {
        read: "list",
        waitMs: listWaitMs,
      });
      if (suspects.length > 0) {
        await confirmRemoved(suspects, {
          concurrency: options.listConcurrency ?? 4,
          signal: input.signal,
          filters: input.filters,
        });
      }
      return result;
    },
    confirmRemoved,
    async *exportUsers(input) {
      const gaps = new PageGaps();
      for await (const batch of vendor.exportUsers(input)) {
        gaps.page(batch);
        yield batch;
      }
      if (gaps.boundaries === 0 || !gaps.ordered) return;
      const suspects = await snapshotUsersInGaps(getDb, vendor.id, gaps, input.filters, {
        read: "export",
      });
      if (suspects.length === 0) return;
      await confirmRemoved(suspects, {
        concurrency: input.concurrency,
        signal: input.signal,
        filters: input.filters,
      });
    },
  };
}

/** How long a page of the live list waits for the database before it is served unchecked. */
const LIST_CHECK_WAIT_MS = 1_000;

export interface SkipCheckOptions {
  /** `LIST_CHECK_WAIT_MS` unless given (tests). */
  listWaitMs?: number;
  /** Lookups in flight at once for a page of the live list (4 unless given; Roster passes `EXPORT_CONCURRENCY`). */
  listConcurrency?: number;
}

/**
 * The current snapshot's users of `provider` matching `filters` whose place
 * is between two pages read, at most SUSPECTS_PER_GAP per gap; none when the
 * database cannot be reached, or does not answer within `waitMs` (logged).
 * One statement: for each gap, the first users by vendor order after its
 * first page's last, through the index that lists the directory.
 */
async function snapshotUsersInGaps(
  getDb: () => Promise<Db>,
  provider: UsersReader["id"],
  gaps: PageGaps,
  filters: UsersFilters,
  { read, waitMs }: { read: "export" | "list"; waitMs?: number },
): Promise<string[]> {
  // A user without a created time sorts after every time: a gap bounded by one is not looked in.
  const bounds = gaps
    .intervals()
    .filter(([after, before]) => after.createdAt !== null && before.createdAt !== null)
    .map(([after, before]) => ({
      lo: after.createdAt,
      lo_id: after.id,
      hi: before.createdAt,
      hi_id: before.id,
    }));
  if (bounds.length === 0) return [];
  const notChecked = (why: string) =>
    console.warn(
      `[roster] ${provider} ${read}: not checked for users a shifted page skipped (${why})`,
    );
  const query = (async () => {
    const db = await getDb();
    // The time as ISO 8601 text with its offset (JSON's form), the same from both drivers. The
    // time range keeps the index scan within the gap; the row comparisons leave out the users at
    // its bounds and those beside them with the same time.
    return selectRows<{ id: string; created_at: string }>(
      db,
      sql`select u.user_id as id, to_json(u.created_at) #>> '{}' as created_at
          from jsonb_to_recordset(${JSON.stringify(bounds)}::jsonb)
            as g(lo timestamptz, lo_id text, hi timestamptz, hi_id text)
          cross join lateral (
            select ${directoryUsers.userId}, ${directoryUsers.createdAt}
            from ${directoryUsers}
            where ${directoryUsers.provider} = ${provider}
              and ${directoryUsers.toSnapshot} is null
              and ${and(...filterConditions(filters)) ?? sql`true`}
              and ${directoryUsers.createdAt} >= g.lo
              and ${directoryUsers.createdAt} <= g.hi
              and (${directoryUsers.createdAt}, ${directoryUsers.userId} collate "C") > (g.lo, g.lo_id collate "C")
              and (${directoryUsers.createdAt}, ${directoryUsers.userId} collate "C") < (g.hi, g.hi_id collate "C")
            order by ${directoryUsers.createdAt}, ${directoryUsers.userId} collate "C"
            limit ${SUSPECTS_PER_GAP + 2}
          ) as u`,
    );
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    if (waitMs !== undefined) timer = setTimeout(() => resolve("late"), waitMs);
  });
  try {
    const rows = await Promise.race([query, late]);
    if (rows === "late") {
      // The statement still runs; its answer, or its failure, no longer matters.
      query.catch(() => {});
      notChecked(`the database did not answer within ${waitMs} ms`);
      return [];
    }
    const places: OrderKey[] = rows.flatMap((row) => {
      const at = new Date(row.created_at);
      // A time JavaScript cannot read (past year 9999) cannot be placed: not a suspect.
      return Number.isNaN(at.getTime()) ? [] : [{ id: row.id, createdAt: at.toISOString() }];
    });
    // Times finer than JavaScript's milliseconds put a bound's own user inside: `between` drops it.
    return gaps.between(places, SUSPECTS_PER_GAP).map((place) => place.id);
  } catch (error) {
    const reason = databaseUnavailableReason(error);
    notChecked(reason ?? (error instanceof Error ? error.name : "error"));
    return [];
  } finally {
    clearTimeout(timer);
  }
}
