"use client";

import { lazy, Suspense, useEffect, useRef } from "react";

import type { CsvExportState } from "./use-csv-export";

/** Shown only while an export runs, so loaded then. */
const ExportProgress = lazy(() =>
  import("./export-progress").then((module) => ({ default: module.ExportProgress })),
);

export interface ExportControlsProps {
  state: CsvExportState;
  onStart: () => void;
  onCancel: () => void;
  onDismiss: () => void;
  /**
   * Nothing to export (yet): the button stays focusable (a disabled one would
   * drop the keyboard focus and hide why), says so in its title, and does nothing.
   */
  unavailable?: boolean;
  title?: string;
  buttonClassName: string;
  className?: string;
}

/**
 * "Export CSV" with what an export shows while it runs (progress, Cancel) and
 * after it (the file's notice, or an alert with Try again).
 */
export function ExportControls({
  state,
  onStart,
  onCancel,
  onDismiss,
  unavailable = false,
  title,
  buttonClassName,
  className = "",
}: ExportControlsProps) {
  const running = state.phase === "running";
  const buttonRef = useRef<HTMLButtonElement>(null);

  // Cancel unmounting (or the button disabled while running) drops focus to the page: bring it back here.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running && document.activeElement === document.body) {
      buttonRef.current?.focus();
    }
    wasRunning.current = running;
  }, [running]);

  return (
    <div
      role="group"
      aria-label="CSV export"
      className={`flex flex-wrap items-center gap-x-3 gap-y-1 ${className}`}
    >
      <button
        ref={buttonRef}
        type="button"
        onClick={() => {
          if (!unavailable) onStart();
        }}
        disabled={running}
        aria-disabled={unavailable || undefined}
        aria-busy={running}
        title={title}
        className={buttonClassName}
      >
        Export CSV
      </button>
      {state.phase === "running" && (
        <Suspense fallback={null}>
          <ExportProgress rows={state.rows} total={state.total} onCancel={onCancel} />
        </Suspense>
      )}
      {state.phase === "failed" && (
        <div
          role="alert"
          className="flex items-center gap-2 text-sm text-red-700 dark:text-red-400"
        >
          <span>{state.message}</span>
          <button type="button" onClick={onStart} className={buttonClassName}>
            Try again
          </button>
          <button
            type="button"
            onClick={onDismiss}
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
