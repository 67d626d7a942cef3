"use client";

import { useEffect, useRef } from "react";

import { formatCount } from "./use-csv-export";

interface ExportProgressProps {
  rows: number;
  total: number | null;
  onCancel: () => void;
}

/** Rows written of the total where the server announced it, else rows so far. */
export function ExportProgress({ rows, total, onCancel }: ExportProgressProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The export button is disabled while this shows; a keyboard user who pressed it lands on Cancel.
  useEffect(() => {
    const active = document.activeElement;
    if (active === document.body || (active instanceof HTMLButtonElement && active.disabled)) {
      cancelRef.current?.focus();
    }
  }, []);
  const known = total !== null && total > 0;
  const percent = known ? Math.min(100, (rows / total) * 100) : 0;
  const text = known
    ? `${formatCount(rows)} of ${formatCount(total)} rows`
    : `${formatCount(rows)} ${rows === 1 ? "row" : "rows"} so far`;
  return (
    <div className="flex items-center gap-2">
      <div
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? Math.min(rows, total) : undefined}
        aria-valuetext={text}
        className="relative h-2 w-28 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={
            known
              ? "h-full rounded-full bg-blue-600 transition-[width] dark:bg-blue-400"
              : "h-full w-1/3 animate-pulse rounded-full bg-blue-600 dark:bg-blue-400"
          }
          style={known ? { width: `${percent}%` } : undefined}
        />
      </div>
      <span className="text-sm tabular-nums text-zinc-700 dark:text-zinc-300">{text}</span>
      <button
        ref={cancelRef}
        type="button"
        onClick={onCancel}
        className="rounded-md px-2 py-1 text-sm font-medium text-zinc-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:text-zinc-300 dark:focus-visible:outline-blue-400"
      >
        Cancel
      </button>
    </div>
  );
}
