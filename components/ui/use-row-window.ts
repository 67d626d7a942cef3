"use client";

import { useCallback, useLayoutEffect, useState, type RefObject } from "react";

/** A row to render and where it starts, in px from the top of the rows. */
export interface WindowRow {
  index: number;
  start: number;
}

/**
 * Which rows of a long list to render: the ones the scroll element shows,
 * `overscan` more on each side, and optionally one more row wherever it is
 * (the grid's active row, its one tab stop). Every row is `rowHeight` px tall, so nothing
 * is measured: the window follows the element's scroll offset and height.
 * A few lines instead of a virtualizer library, as the rows never vary.
 */
export function useRowWindow({
  count,
  rowHeight,
  overscan,
  scrollRef,
}: {
  count: number;
  rowHeight: number;
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
}) {
  // The rows the viewport shows, from the first to the last (in part): re-rendering only when they change.
  const [shown, setShown] = useState({ first: 0, last: 0 });

  const update = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const first = Math.floor(element.scrollTop / rowHeight);
    const last = Math.max(
      first,
      Math.ceil((element.scrollTop + element.clientHeight) / rowHeight) - 1,
    );
    setShown((old) => (old.first === first && old.last === last ? old : { first, last }));
  }, [scrollRef, rowHeight]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    update();
    element.addEventListener("scroll", update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      element.removeEventListener("scroll", update);
      observer.disconnect();
    };
  }, [scrollRef, update]);

  /** The rows to render, plus the `keep` row (the active one) wherever it is. */
  const rows = (keep: number): WindowRow[] => {
    const rows: WindowRow[] = [];
    if (count === 0) return rows;
    const last = count - 1;
    const first = Math.min(last, shown.first);
    const from = Math.max(0, first - overscan);
    const to = Math.min(last, Math.max(first, shown.last) + overscan);
    if (keep >= 0 && keep < from) rows.push({ index: keep, start: keep * rowHeight });
    for (let index = from; index <= to; index++) rows.push({ index, start: index * rowHeight });
    if (keep > to && keep <= last) rows.push({ index: keep, start: keep * rowHeight });
    return rows;
  };

  /** Scrolls just enough to show the row: to its top when it is above, its bottom when below. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const start = index * rowHeight;
      const end = start + rowHeight;
      const { scrollTop, clientHeight } = element;
      let top: number;
      if (end >= scrollTop + clientHeight) top = end - clientHeight;
      else if (start <= scrollTop) top = start;
      else return;
      element.scrollTo({ top: Math.max(0, Math.min(top, count * rowHeight - clientHeight)) });
    },
    [count, rowHeight, scrollRef],
  );

  /** Scrolls to an offset in px and renders the rows there at once (restoring a position). */
  const scrollToOffset = useCallback(
    (top: number) => {
      if (scrollRef.current) scrollRef.current.scrollTop = top;
      update();
    },
    [scrollRef, update],
  );

  return { rows, totalHeight: count * rowHeight, scrollToIndex, scrollToOffset };
}
