"use client";

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";

import type { ProviderId, User } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

import { GridFooter, type GridFooterState } from "./grid-footer";
import { ROW_HEIGHT, cellVisibilityClass, gridStyle, rowGridClass } from "./grid-layout";
import { useGridKeyboard } from "./use-grid-keyboard";
import { useRowWindow } from "@/components/ui/use-row-window";
import type { UsersTable } from "./use-users-table";
import { UsersGridRow } from "./users-grid-row";

/** Loaded when a row is first opened: the first visit does not need it. */
const UserDetailPanel = lazy(() =>
  import("./detail/user-detail-panel").then((module) => ({ default: module.UserDetailPanel })),
);

/** Start loading the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 25;

export interface Pager {
  hasNextPage: boolean;
  /** Any request of this list in flight (next page or refetch). */
  isFetching: boolean;
  /** The last next-page request failed: stop until the admin retries. */
  error: { message: string; code?: string } | null;
  fetchNextPage: () => void;
  /** Reads the list again from the top (after `list_changed`). */
  restart: () => void;
}

export function UsersGrid({
  provider,
  table,
  total,
  pager,
}: {
  provider: ProviderId;
  table: UsersTable;
  total: number | null;
  pager: Pager;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const { rows, visibleColumns: columns } = table;
  const [opened, setOpened] = useState<{ user: User; index: number } | null>(null);

  const rowWindow = useRowWindow({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    overscan: 8,
    scrollRef,
  });

  const openRow = useCallback(
    (index: number) => {
      const user = rows[index];
      if (user) setOpened({ user, index });
    },
    [rows],
  );
  const keyboard = useGridKeyboard({
    rowCount: rows.length,
    bodyRef,
    scrollToIndex: rowWindow.scrollToIndex,
    onOpen: openRow,
  });

  // The active row is always rendered, so the grid keeps its one tab stop while scrolled away.
  const items = rowWindow.rows(keyboard.activeIndex);
  const lastRendered = items.length > 0 ? Math.max(...items.map((i) => i.index)) : -1;
  const { hasNextPage, isFetching, error, fetchNextPage, restart } = pager;
  // Covers a short or empty page too: when the rows don't reach the bottom, keep loading.
  useEffect(() => {
    if (hasNextPage && !isFetching && !error && lastRendered >= rows.length - PREFETCH_ROWS)
      fetchNextPage();
  }, [hasNextPage, isFetching, error, lastRendered, rows.length, fetchNextPage]);

  const footer: GridFooterState = error
    ? error.code === "list_changed"
      ? { kind: "changed", onReload: restart }
      : { kind: "failed", message: error.message, onRetry: fetchNextPage }
    : hasNextPage
      ? { kind: "loading" }
      : { kind: "end" };
  const knownTotal = hasNextPage ? total : rows.length;

  return (
    <div
      ref={scrollRef}
      className="relative min-h-0 flex-1 overflow-auto"
      data-testid="users-scroll"
    >
      <div
        role="grid"
        aria-label={`${PROVIDER_LABELS[provider]} users`}
        aria-readonly="true"
        aria-rowcount={knownTotal === null ? -1 : knownTotal + 1}
        aria-colcount={columns.length}
        className="sm:min-w-(--grid-min)"
        style={gridStyle(columns)}
      >
        <div
          role="rowgroup"
          className="sticky top-0 z-10 bg-zinc-50/95 backdrop-blur dark:bg-zinc-900/95"
        >
          <div
            role="row"
            aria-rowindex={1}
            className={`border-b border-zinc-200 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:border-zinc-800 dark:text-zinc-400 ${rowGridClass}`}
          >
            {columns.map((column) => (
              <div
                key={column.id}
                role="columnheader"
                className={`truncate px-3 py-2.5 text-left ${cellVisibilityClass(column.id)}`}
              >
                {column.label}
              </div>
            ))}
          </div>
        </div>
        <div
          ref={bodyRef}
          role="rowgroup"
          data-testid="users-body"
          className="relative"
          style={{ height: rowWindow.totalHeight }}
          onKeyDown={keyboard.onKeyDown}
          onClick={(event) => {
            const index = Number(
              (event.target as HTMLElement).closest<HTMLElement>("[data-index]")?.dataset.index,
            );
            if (Number.isInteger(index)) {
              keyboard.setActiveIndex(index);
              openRow(index);
            }
          }}
        >
          {items.map((item) => {
            const user = rows[item.index];
            return user ? (
              <UsersGridRow
                key={user.id}
                user={user}
                provider={provider}
                columns={columns}
                index={item.index}
                start={item.start}
                active={item.index === keyboard.activeIndex}
              />
            ) : null;
          })}
        </div>
      </div>
      <GridFooter state={footer} />
      {opened && (
        <Suspense fallback={null}>
          <UserDetailPanel
            provider={provider}
            user={opened.user}
            onClose={() => {
              keyboard.focusRow(opened.index);
              setOpened(null);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
