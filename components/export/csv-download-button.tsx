"use client";

import { buttonClass } from "@/components/ui/button";

import { ExportControls } from "./export-controls";
import { useCsvDownload, type CsvDownload } from "./use-csv-export";

/**
 * "Export CSV" for an export the API serves at one address (People, Changes,
 * the activity log): downloads it as the users export does, with progress,
 * Cancel and a message naming why it failed. `download` null: nothing to
 * export yet (the button says so and does nothing).
 */
export function CsvDownloadButton({
  download,
  className,
}: {
  download: CsvDownload | null;
  className?: string;
}) {
  const { state, start, cancel, dismiss } = useCsvDownload();
  return (
    <ExportControls
      state={state}
      onStart={() => {
        if (download) void start(download);
      }}
      onCancel={cancel}
      onDismiss={dismiss}
      unavailable={download === null}
      buttonClassName={`${buttonClass.secondary} aria-disabled:cursor-not-allowed aria-disabled:opacity-50`}
      className={className}
    />
  );
}
