"use client";

import { useEffect, useRef } from "react";

import { focusRing } from "@/components/ui/button";
import { useRowWindow } from "@/components/ui/use-row-window";

import type { ActivityEntry } from "@/lib/activity/schema";
import { formatUtc } from "@/lib/users/format-date";

import { entrySummary } from "./entry-summary";

const ROW_HEIGHT = 56;

const isPrimitive = (value: unknown) => value === null || typeof value !== "object";

/** An entry's details on one line: "items: 69 · providers: openai, telnyx · scope: {…}". */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      if (Array.isArray(value) && value.every(isPrimitive)) {
        return `${key}: ${value.length === 0 ? "none" : value.map(String).join(", ")}`;
      }
      return `${key}: ${isPrimitive(value) ? String(value) : JSON.stringify(value)}`;
    })
    .join(" · ");
}

/**
 * Who acted: the admin's address, or Roster itself (a scheduled sync, retention). A sign-in
 * tried without an address has none either, and was not Roster's doing.
 */
export function actorText(entry: Pick<ActivityEntry, "kind" | "admin">): string {
  if (entry.admin !== null) return entry.admin;
  return entry.kind === "auth.sign_in" ? "no address given" : "Roster";
}

/** The entries in a virtualized list; reaching the end loads the next page. */
export function ActivityList({
  entries,
  hasNextPage,
  fetchingNext,
  failed,
  onEnd,
}: {
  entries: ActivityEntry[];
  hasNextPage: boolean;
  fetchingNext: boolean;
  /** The list could not be read (its error is shown above): no "no entries" line under it. */
  failed: boolean;
  onEnd: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowWindow = useRowWindow({
    count: entries.length,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    scrollRef: scroller,
  });
  const items = rowWindow.rows(-1);
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasNextPage && !fetchingNext && lastIndex >= entries.length - 1) onEnd();
  }, [lastIndex, entries.length, hasNextPage, fetchingNext, onEnd]);

  return (
    <div
      ref={scroller}
      data-testid="activity-scroll"
      // Focusable, so that the keyboard can scroll it (its entries hold nothing to focus) and reach
      // the entries that load at its end.
      tabIndex={0}
      role="region"
      aria-label="Activity entries"
      className={`h-[60vh] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800 ${focusRing}`}
    >
      <ol aria-label="Activity" className="relative" style={{ height: rowWindow.totalHeight }}>
        {items.map((item) => {
          const entry = entries[item.index]!;
          const raw = detailsText(entry.details);
          const summary = entrySummary(entry.kind, entry.details);
          return (
            <li
              key={entry.seq}
              data-seq={entry.seq}
              aria-setsize={hasNextPage ? -1 : entries.length}
              aria-posinset={item.index + 1}
              // On a phone, three lines: kind and admin, then number and time, then the details;
              // from `sm` up, number, time, kind and admin on one line over the details.
              className="absolute inset-x-0 grid grid-cols-[auto_minmax(0,1fr)] content-center gap-x-3 border-b border-zinc-100 px-3 text-sm [grid-template-areas:'kind_admin'_'meta_meta'_'details_details'] sm:grid-cols-[3rem_auto_auto_minmax(0,1fr)] sm:[grid-template-areas:'seq_time_kind_admin'_'._details_details_details'] dark:border-zinc-900"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <span className="flex gap-3 text-xs [grid-area:meta] sm:contents sm:text-sm">
                <span className="text-zinc-500 [grid-area:seq] dark:text-zinc-400">
                  #{entry.seq}
                </span>
                <time
                  dateTime={entry.at}
                  className="text-zinc-600 [grid-area:time] dark:text-zinc-400"
                >
                  {formatUtc(entry.at, "second")}
                </time>
              </span>
              <span className="font-medium [grid-area:kind]">{entry.kind}</span>
              <span className="truncate [grid-area:admin]" title={entry.admin ?? undefined}>
                {actorText(entry)}
              </span>
              {/* In words where the kind is known; cut to one line, the whole text and the raw
                  details show on hover (and are in the CSV export). */}
              <span
                className="truncate text-xs text-zinc-500 [grid-area:details] dark:text-zinc-400"
                title={summary === null ? raw : `${summary}\n\n${raw}`}
                data-testid="activity-details"
              >
                {summary ?? raw}
              </span>
            </li>
          );
        })}
      </ol>
      {/* Always there, so that a screen reader hears when the filters match nothing. */}
      <div role="status">
        {entries.length === 0 && !fetchingNext && !failed && (
          <p className="p-4 text-sm text-zinc-600 dark:text-zinc-400">
            No entries match these filters.
          </p>
        )}
      </div>
    </div>
  );
}
