"use client";

import { formatExact, formatRelative, parseDate } from "@/lib/users/format-date";
import { useNow } from "@/lib/users/use-now";

/**
 * "Next sync in 12 minutes", or after a failure "Next try in 4 minutes". The
 * schedule checks each minute, so a time less than a minute off (or past, on
 * a browser clock ahead of the database's) is "within a minute".
 */
export function nextSyncText(at: Date, now: number, afterFailure: boolean): string {
  const next = afterFailure ? "Next try" : "Next sync";
  return at.getTime() - now < 60_000
    ? `${next} within a minute`
    : `${next} ${formatRelative(at, now)}`;
}

/** When the schedule syncs by itself (the status's `nextScheduledAt`); nothing when it will not. */
export function NextSync({ at, afterFailure }: { at: string | null; afterFailure: boolean }) {
  const now = useNow();
  const date = parseDate(at);
  if (!date || at === null) return null;
  return (
    <time
      dateTime={at}
      title={formatExact(date)}
      data-testid="next-sync"
      className="text-zinc-600 dark:text-zinc-400"
    >
      {nextSyncText(date, now, afterFailure)}
    </time>
  );
}
