"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

export type CsvExportState =
  | { phase: "idle"; notice: string | null }
  | { phase: "running"; rows: number; total: number | null }
  | { phase: "failed"; message: string };

const rowsFormat = new Intl.NumberFormat("en-US");
export const formatCount = (n: number) => rowsFormat.format(n);

/** The view to export: the list's provider, filters and source, and the visible column ids. */
export interface CsvExportView {
  provider: ProviderId;
  filters: UsersFilters;
  source: UsersSource;
  columns: string[];
}

/**
 * Runs one CSV export at a time (run-csv-export.ts, fetched on the first
 * export), with its progress, cancel and outcome as state.
 */
export function useCsvExport() {
  const [state, setState] = useState<CsvExportState>({ phase: "idle", notice: null });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(async (view: CsvExportView) => {
    if (running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setState({ phase: "running", rows: 0, total: null });
    try {
      const { runCsvExport } = await import("./run-csv-export");
      await runCsvExport(view, controller.signal, setState);
    } catch {
      // The export's code could not be loaded (runCsvExport reports its own failures).
      setState(
        controller.signal.aborted
          ? { phase: "idle", notice: "Export cancelled. No file was saved." }
          : { phase: "failed", message: "The export could not start. Try again." },
      );
    } finally {
      running.current = null;
    }
  }, []);

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState({ phase: "idle", notice: null }), []);

  return { state, start, cancel, dismiss };
}
