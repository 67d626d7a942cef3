"use client";

import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

import { ExportControls } from "./export-controls";
import { formatCount, useCsvExport } from "./use-csv-export";

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
  "inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-900 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-not-allowed disabled:opacity-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:outline-blue-400";

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
  const empty = total === 0;
  return (
    <ExportControls
      state={state}
      onStart={() => void start({ provider, filters, columns, source })}
      onCancel={cancel}
      onDismiss={dismiss}
      unavailable={empty}
      title={
        empty
          ? "No users match these filters"
          : total !== null
            ? `Export all ${formatCount(total)} matching users as CSV`
            : "Export every matching user as CSV"
      }
      buttonClassName={buttonClass}
    />
  );
}
