"use client";

import { lazy, Suspense, useEffect, useRef } from "react";

import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

import { formatCount, useCsvExport } from "./use-csv-export";

/** Shown only while an export runs, so loaded then. */
const ExportProgress = lazy(() =>
  import("./export-progress").then((module) => ({ default: module.ExportProgress })),
);

export interface ExportButtonProps {
  provider: ProviderId;
  filters: UsersFilters;
  /** Where the rows come from: live, or the directory's snapshot. */
  source?: UsersSource;
  /** Visible column ids, in order (the dashboard's ids or the export's). */
  columns: string[];
  /** Matching users where the list knows it. */
  total: number | null;
}

const buttonClass =
  "inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-900 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:outline-blue-400";

/**
 * "Export CSV": downloads every user of the current view (provider, filters,
 * visible columns), not only the rows loaded on screen.
 */
export function ExportButton({
  provider,
  filters,
  columns,
  total,
  source = "vendor",
}: ExportButtonProps) {
  const { state, start, cancel, dismiss } = useCsvExport();
  const running = state.phase === "running";
  const empty = total === 0;
  const buttonRef = useRef<HTMLButtonElement>(null);

  // Cancel (or the disabled button) unmounting drops focus to the page: bring it back here.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running && document.activeElement === document.body) {
      buttonRef.current?.focus();
    }
    wasRunning.current = running;
  }, [running]);

  const run = () => void start({ provider, filters, columns, source });

  return (
    <div
      role="group"
      aria-label="CSV export"
      className="flex flex-wrap items-center gap-x-3 gap-y-1"
    >
      <button
        ref={buttonRef}
        type="button"
        onClick={run}
        disabled={running || empty}
        aria-busy={running}
        title={
          empty
            ? "No users match these filters"
            : total !== null
              ? `Export all ${formatCount(total)} matching users as CSV`
              : "Export every matching user as CSV"
        }
        className={buttonClass}
      >
        Export CSV
      </button>
      {state.phase === "running" && (
        <Suspense fallback={null}>
          <ExportProgress rows={state.rows} total={state.total} onCancel={cancel} />
        </Suspense>
      )}
      {state.phase === "failed" && (
        <div
          role="alert"
          className="flex items-center gap-2 text-sm text-red-700 dark:text-red-400"
        >
          <span>{state.message}</span>
          <button type="button" onClick={run} className={buttonClass}>
            Try again
          </button>
          <button
            type="button"
            onClick={dismiss}
            aria-label="Dismiss export error"
            className="rounded px-1 text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          >
            ×
          </button>
        </div>
      )}
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        {state.phase === "idle" ? state.notice : null}
      </p>
    </div>
  );
}
