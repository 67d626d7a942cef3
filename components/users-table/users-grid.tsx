"use client";

import { FlexRender } from "@tanstack/react-table";
import { defaultRangeExtractor, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";

import { PROVIDER_LABELS, type ProviderId, type User } from "@/lib/users/schema";

import { UserDetailPanel } from "./detail/user-detail-panel";
import { GridFooter, type GridFooterState } from "./grid-footer";
import { ROW_HEIGHT, cellVisibilityClass, gridStyle, rowGridClass } from "./grid-layout";
import { useGridKeyboard } from "./use-grid-keyboard";
import type { UsersTable } from "./use-users-table";
import { UsersGridRow } from "./users-grid-row";

/** Start loading the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 25;

export interface Pager {
  hasNextPage: boolean;
  /** Any request of this list in flight (next page or refetch). */
  isFetching: boolean;
  /** The last next-page request failed: stop until the admin retries. */
  error: { message: string } | null;
  fetchNextPage: () => void;
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
  const rows = table.getRowModel().rows;
  const [opened, setOpened] = useState<{ user: User; index: number } | null>(null);
  const activeRef = useRef(0);

  // The active row is always rendered, so the grid keeps its one tab stop while scrolled away.
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const active = activeRef.current;
    if (active < range.count && !indexes.includes(active)) indexes.push(active);
    return indexes.sort((a, b) => a - b);
  }, []);

  // Virtual's API is not memoizable by React Compiler; Roster doesn't enable the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 8,
    rangeExtractor,
    useFlushSync: false,
  });

  const openRow = useCallback(
    (index: number) => {
      const user = rows[index]?.original;
      if (user) setOpened({ user, index });
    },
    [rows],
  );
  const keyboard = useGridKeyboard({
    rowCount: rows.length,
    bodyRef,
    virtualizer,
    onOpen: openRow,
  });
  useEffect(() => {
    activeRef.current = keyboard.activeIndex;
  }, [keyboard.activeIndex]);

  const items = virtualizer.getVirtualItems();
  const lastRendered = items.length > 0 ? Math.max(...items.map((i) => i.index)) : -1;
  const { hasNextPage, isFetching, error, fetchNextPage } = pager;
  // Covers a short or empty page too: when the rows don't reach the bottom, keep loading.
  useEffect(() => {
    if (hasNextPage && !isFetching && !error && lastRendered >= rows.length - PREFETCH_ROWS)
      fetchNextPage();
  }, [hasNextPage, isFetching, error, lastRendered, rows.length, fetchNextPage]);

  const footer: GridFooterState = error
    ? { kind: "failed", message: error.message, onRetry: fetchNextPage }
    : hasNextPage
      ? { kind: "loading" }
      : { kind: "end" };
  const knownTotal = hasNextPage ? total : rows.length;
  const columnsKey = table
    .getVisibleLeafColumns()
    .map((c) => c.id)
    .join(",");

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
        aria-colcount={table.getVisibleLeafColumns().length}
        className="sm:min-w-(--grid-min)"
        style={gridStyle(table)}
      >
        <div
          role="rowgroup"
          className="sticky top-0 z-10 bg-zinc-50/95 backdrop-blur dark:bg-zinc-900/95"
        >
          {table.getHeaderGroups().map((group) => (
            <div
              key={group.id}
              role="row"
              aria-rowindex={1}
              className={`border-b border-zinc-200 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:border-zinc-800 dark:text-zinc-400 ${rowGridClass}`}
            >
              {group.headers.map((header) => (
                <div
                  key={header.id}
                  role="columnheader"
                  className={`truncate px-3 py-2.5 text-left ${cellVisibilityClass(header.column.id)}`}
                >
                  <FlexRender header={header} />
                </div>
              ))}
            </div>
          ))}
        </div>
        <div
          ref={bodyRef}
          role="rowgroup"
          data-testid="users-body"
          className="relative"
          style={{ height: virtualizer.getTotalSize() }}
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
            const row = rows[item.index];
            return row ? (
              <UsersGridRow
                key={row.id}
                row={row}
                index={item.index}
                start={item.start}
                active={item.index === keyboard.activeIndex}
                columnsKey={columnsKey}
              />
            ) : null;
          })}
        </div>
      </div>
      <GridFooter state={footer} />
      <UserDetailPanel
        provider={provider}
        user={opened?.user ?? null}
        onClose={() => {
          if (opened) keyboard.focusRow(opened.index);
          setOpened(null);
        }}
      />
    </div>
  );
}
