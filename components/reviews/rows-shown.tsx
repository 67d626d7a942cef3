"use client";

import { useEffect, useRef } from "react";

import { formatCount } from "@/lib/users/format-count";

/**
 * Rows the accounts table renders at first, and each "Show more" adds. A
 * review of every account of a large organization holds tens of thousands:
 * a table of 4,000 took the browser about a second to lay out, and as long
 * again to re-render for each selection.
 */
export const ROWS_PER_STEP = 200;

const link = "text-indigo-700 underline underline-offset-2 dark:text-indigo-400";

/** Under the table: how many of the filter's accounts it shows, and a button for more. */
export function MoreRows({
  visible,
  matching,
  onMore,
}: {
  visible: number;
  matching: number;
  onMore: () => void;
}) {
  if (visible >= matching) return null;
  return (
    <p className="flex flex-wrap items-center gap-3 text-sm text-zinc-600 dark:text-zinc-400">
      <span data-testid="rows-shown">
        Showing {formatCount(visible)} of {formatCount(matching)} accounts
      </span>
      <button type="button" className={link} onClick={onMore}>
        Show {formatCount(Math.min(ROWS_PER_STEP, matching - visible))} more
      </button>
    </p>
  );
}

/**
 * Beside the selection's count, once every row shown is selected and the
 * filter holds more: selects all of its accounts, those not rendered too;
 * once they are, clears the selection.
 */
export function SelectMatching({
  visible,
  matching,
  selectedMatching,
  selected,
  filterLabel,
  onSelectMatching,
  onClear,
}: {
  /** Ids of the rows rendered. */
  visible: readonly number[];
  /** How many accounts the filter holds. */
  matching: number;
  /** How many of those are selected. */
  selectedMatching: number;
  selected: ReadonlySet<number>;
  filterLabel: string;
  onSelectMatching: () => void;
  onClear: () => void;
}) {
  // The button pressed gives way to "Clear selection", which takes the focus.
  const clear = useRef<HTMLButtonElement>(null);
  const focusClear = useRef(false);
  useEffect(() => {
    if (!focusClear.current || !clear.current) return;
    focusClear.current = false;
    clear.current.focus();
  });
  if (matching <= visible.length || !visible.every((id) => selected.has(id))) return null;
  if (selectedMatching === matching) {
    return (
      <span>
        All {formatCount(matching)} accounts in “{filterLabel}” are selected.{" "}
        <button ref={clear} type="button" className={link} onClick={onClear}>
          Clear selection
        </button>
      </span>
    );
  }
  return (
    <button
      type="button"
      className={link}
      onClick={() => {
        focusClear.current = true;
        onSelectMatching();
      }}
    >
      Select all {formatCount(matching)} accounts in “{filterLabel}”
    </button>
  );
}
