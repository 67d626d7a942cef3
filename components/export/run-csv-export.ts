/**
 * The users export's address, built on the first click of the dashboard's
 * "Export CSV" with the download itself (run-csv-download.ts): the export's
 * columns and query code stay out of the dashboard's first load.
 */
import { exportColumnsForView } from "@/lib/export/columns";
import { exportFilename } from "@/lib/export/filename";
import { exportPath } from "@/lib/export/query";

import { runCsvDownload } from "./run-csv-download";
import type { CsvExportState, CsvExportView } from "./use-csv-export";

export function runCsvExport(
  { provider, filters, columns, source }: CsvExportView,
  signal: AbortSignal,
  setState: (state: CsvExportState) => void,
): Promise<void> {
  const url = exportPath(
    provider,
    filters,
    exportColumnsForView(provider, columns, filters.groups),
    source,
  );
  return runCsvDownload(
    { url, filename: exportFilename(provider), subject: "The user list" },
    signal,
    setState,
  );
}
