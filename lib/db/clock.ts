import "server-only";

import { sql, type SQL } from "drizzle-orm";

import type { Db } from "./client";
import { selectRows } from "./select-rows";

/**
 * The database's clock now (`clock_timestamp()`, not the transaction's start),
 * to the millisecond a Date holds: a time read once and written to several
 * rows (a review's closedAt and its log entry's time) stays equal in all of
 * them, and every instance sharing the database reads the same clock.
 */
export async function databaseNow(db: Db): Promise<Date> {
  const [clock] = await selectRows<{ ms: number }>(db, sql`select ${databaseNowMs()} as ms`);
  return new Date(clock!.ms);
}

/** `databaseNow` as a column of a statement that reads more: milliseconds since the epoch. */
export function databaseNowMs(): SQL<number> {
  return sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::float8`.mapWith(Number);
}

/**
 * The database's clock in a statement, `ms` milliseconds ago (0: now): for
 * times that instances with their own clocks compare (a lease's heartbeat, an
 * expiry). `clock_timestamp()`, not `now()`, which is the start of a
 * transaction that may have been open a while.
 */
export function databaseTime(msAgo = 0): SQL {
  return msAgo === 0
    ? sql`clock_timestamp()`
    : sql`clock_timestamp() - ${msAgo}::integer * interval '1 millisecond'`;
}
