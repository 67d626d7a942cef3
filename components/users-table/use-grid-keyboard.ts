"use client";

import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from "react";

const PAGE_STEP = 10;

/**
 * Roving focus over virtualized rows: arrow keys, Page Up/Down, Home and End
 * move the active row (scrolling it into view first, then focusing it once it
 * is rendered); Enter opens it.
 */
export function useGridKeyboard({
  rowCount,
  bodyRef,
  scrollToIndex,
  onOpen,
}: {
  rowCount: number;
  bodyRef: RefObject<HTMLDivElement | null>;
  /** Scrolls just enough to show the row (components/ui/use-row-window.ts). */
  scrollToIndex: (index: number) => void;
  onOpen: (index: number) => void;
}) {
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef(false);
  const clampedActive = Math.min(activeIndex, Math.max(rowCount - 1, 0));

  useEffect(() => {
    if (!pendingFocus.current) return;
    const el = bodyRef.current?.querySelector<HTMLElement>(`[data-index="${clampedActive}"]`);
    if (el) {
      pendingFocus.current = false;
      el.focus({ preventScroll: true });
    }
  });

  const moveTo = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(index, rowCount - 1));
      pendingFocus.current = true;
      setActiveIndex(next);
      scrollToIndex(next);
    },
    [rowCount, scrollToIndex],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const target = event.target as HTMLElement;
      const index = Number(
        target.closest<HTMLElement>("[data-index]")?.dataset.index ?? clampedActive,
      );
      const moves: Record<string, number> = {
        ArrowDown: index + 1,
        ArrowUp: index - 1,
        PageDown: index + PAGE_STEP,
        PageUp: index - PAGE_STEP,
        Home: 0,
        End: rowCount - 1,
      };
      if (event.key in moves) {
        event.preventDefault();
        moveTo(moves[event.key] ?? index);
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        onOpen(index);
      }
    },
    [clampedActive, moveTo, onOpen, rowCount],
  );

  /** Focus the given row again (after the detail panel closes). */
  const focusRow = useCallback(
    (index: number) => {
      pendingFocus.current = true;
      setActiveIndex(index);
      scrollToIndex(index);
      bodyRef.current
        ?.querySelector<HTMLElement>(`[data-index="${index}"]`)
        ?.focus({ preventScroll: true });
    },
    [bodyRef, scrollToIndex],
  );

  return { activeIndex: clampedActive, setActiveIndex, onKeyDown, focusRow };
}
