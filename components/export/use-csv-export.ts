"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

export type CsvExportState =
  | { phase: "idle"; notice: string | null }
  | { phase: "running"; rows: number; total: number | null }
  | { phase: "failed"; message: string };

type SetCsvExportState = (state: CsvExportState) => void;

const rowsFormat = new Intl.NumberFormat("en-US");
export const formatCount = (n: number) => rowsFormat.format(n);

/** The view to export: the list's provider, filters and source, and the visible column ids. */
export interface CsvExportView {
  provider: ProviderId;
  filters: UsersFilters;
  source: UsersSource;
  columns: string[];
}

/** One CSV export to download, by its API address. */
export interface CsvDownload {
  url: string;
  /** Saved under this name when the response has no Content-Disposition file name. */
  filename: string;
  /** What a `list_changed` failure says changed ("The user list"). */
  subject: string;
}

type CsvRun<T> = (input: T, signal: AbortSignal, setState: SetCsvExportState) => Promise<void>;

/**
 * Runs one CSV export at a time, with its progress, cancel and outcome as
 * state. `load` fetches the code that runs it (a dynamic import) on the first
 * export, so no page loads it before an admin asks for a file.
 */
function useCsvRun<T>(load: () => Promise<CsvRun<T>>) {
  const [state, setState] = useState<CsvExportState>({ phase: "idle", notice: null });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(
    async (input: T) => {
      if (running.current) return;
      const controller = new AbortController();
      running.current = controller;
      setState({ phase: "running", rows: 0, total: null });
      try {
        const run = await load();
        await run(input, controller.signal, setState);
      } catch {
        // The export's code could not be loaded (the run reports its own failures).
        setState(
          controller.signal.aborted
            ? { phase: "idle", notice: "Export cancelled. No file was saved." }
            : { phase: "failed", message: "The export could not start. Try again." },
        );
      } finally {
        running.current = null;
      }
    },
    [load],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState({ phase: "idle", notice: null }), []);

  return { state, start, cancel, dismiss };
}

const loadUsersExport = () => import("./run-csv-export").then((module) => module.runCsvExport);
const loadDownload = () => import("./run-csv-download").then((module) => module.runCsvDownload);

/** The dashboard's users export of a view (run-csv-export.ts). */
export function useCsvExport() {
  return useCsvRun(loadUsersExport);
}

/** Any other CSV export, by its address (run-csv-download.ts). */
export function useCsvDownload() {
  return useCsvRun(loadDownload);
}
