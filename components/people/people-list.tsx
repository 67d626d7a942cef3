"use client";

import { useEffect, useLayoutEffect, useRef } from "react";

import { formatCount } from "@/lib/users/format-count";
import { buttonClass } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useRowWindow } from "@/components/ui/use-row-window";
import type { Person } from "@/lib/people/schema";

import { PeopleHeader, PERSON_ROW_HEIGHT, PersonRow } from "./person-row";

const PREFETCH_ROWS = 25;

/** Where the list was when a person was opened, per view (its URL query), for Back. */
function storageKey(search: string): string {
  return `roster.people.scroll:${search}`;
}

export interface PeoplePager {
  hasNextPage: boolean;
  isFetching: boolean;
  error: { message: string; code: string } | null;
  fetchNextPage: () => void;
  restart: () => void;
}

/**
 * The people, virtualized, loading pages as the end comes near. Opening a
 * person records the scroll offset and the row; coming back (Back, or the
 * person page's link) puts both back.
 */
export function PeopleList({
  people,
  total,
  pager,
  search,
}: {
  people: readonly Person[];
  total: number;
  pager: PeoplePager;
  search: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const restored = useRef(false);

  const { rows, totalHeight, scrollToOffset } = useRowWindow({
    count: people.length,
    rowHeight: PERSON_ROW_HEIGHT,
    overscan: 8,
    scrollRef,
  });

  // The row to focus once the list has rendered it at the restored offset.
  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (restored.current || people.length === 0) return;
    restored.current = true;
    const saved = sessionStorage.getItem(storageKey(search));
    if (!saved || !scrollRef.current) return;
    const { top, key } = JSON.parse(saved) as { top: number; key: string };
    scrollToOffset(top);
    pendingFocus.current = key;
  }, [people.length, search, scrollToOffset]);

  const items = rows(-1);
  useEffect(() => {
    const key = pendingFocus.current;
    if (key === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (row) {
      pendingFocus.current = null;
      row.focus({ preventScroll: true });
    }
  }, [items]);
  const lastRendered = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetching, error, fetchNextPage } = pager;
  useEffect(() => {
    if (hasNextPage && !isFetching && !error && lastRendered >= people.length - PREFETCH_ROWS) {
      fetchNextPage();
    }
  }, [hasNextPage, isFetching, error, lastRendered, people.length, fetchNextPage]);

  const onOpen = (key: string) => {
    sessionStorage.setItem(
      storageKey(search),
      JSON.stringify({ top: scrollRef.current?.scrollTop ?? 0, key }),
    );
  };

  return (
    <div
      ref={scrollRef}
      className="relative min-h-0 flex-1 overflow-auto"
      data-testid="people-scroll"
    >
      <PeopleHeader />
      <ul
        aria-label={`People, ${formatCount(total)} in this view`}
        className="relative"
        style={{ height: totalHeight }}
      >
        {items.map((item) => {
          const person = people[item.index];
          return person ? (
            <PersonRow
              key={person.key}
              person={person}
              index={item.index}
              start={item.start}
              onOpen={onOpen}
            />
          ) : null;
        })}
      </ul>
      {error ? (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-center gap-3 border-t border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
        >
          <span>Couldn’t load more people: {error.message}</span>
          <button
            type="button"
            className={buttonClass.secondary}
            onClick={error.code === "invalid_cursor" ? pager.restart : fetchNextPage}
          >
            {error.code === "invalid_cursor" ? "Reload the list" : "Try again"}
          </button>
        </div>
      ) : (
        <div
          role="status"
          data-testid="people-footer"
          className="flex items-center justify-center gap-2 px-4 py-4 text-sm text-zinc-500 dark:text-zinc-400"
        >
          {hasNextPage ? (
            <>
              <Spinner /> Loading more…
            </>
          ) : people.length === 0 ? (
            "No people match this view."
          ) : (
            "End of list"
          )}
        </div>
      )}
    </div>
  );
}
