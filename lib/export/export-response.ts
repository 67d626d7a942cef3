import "server-only";

import { recordedCsvResponse, type ExportStart, type RecordedExport } from "@/lib/activity/exports";
import type { UsersReader } from "@/lib/providers/types";

import { exportFilename } from "./filename";
import { exportLogEntry, logExport } from "./log";
import type { ExportQuery } from "./query";
import { acquireExportSlot, type ExportSlots } from "./slots";
import { startCsvExport } from "./stream";

/**
 * The CSV download for one export. Takes one of the admin's export slots
 * first (429 `too_many_exports` when none is free) and gives it back when the
 * export ends, whichever way. Resolves once the vendor's first page is in, so
 * it rejects with the vendor's `ApiError` (a JSON error response) when the
 * export cannot start; later failures abort the streamed body.
 */
export async function csvExportResponse(input: {
  adapter: UsersReader;
  admin: string;
  query: ExportQuery;
  concurrency: number;
  signal: AbortSignal;
  slots: ExportSlots;
  /** Where the export's manifest is recorded: the activity log unless a test says otherwise. */
  record?: (start: ExportStart) => Promise<RecordedExport>;
}): Promise<Response> {
  const { adapter, query } = input;
  const slot = await acquireExportSlot(input.slots, input.admin);
  const started = performance.now();
  let exported;
  try {
    exported = await startCsvExport({
      adapter,
      filters: query.filters,
      columns: query.columns,
      concurrency: input.concurrency,
      signal: input.signal,
      onSettled: ({ outcome, rows, error }) => {
        slot.release();
        logExport(
          exportLogEntry({
            admin: input.admin,
            provider: adapter.id,
            filters: query.filters,
            columns: query.columns,
            rows,
            durationMs: performance.now() - started,
            outcome,
            error,
          }),
        );
      },
    });
  } catch (error) {
    // Failing before the stream exists may not have settled the export (an adapter that throws at once).
    slot.release();
    throw error;
  }
  const { stream, total, snapshotId } = exported;

  const headers = new Headers({
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${exportFilename(adapter.id)}"`,
    // no-transform keeps `next start` from gzipping the stream: gzip holds back the last bytes, and
    // the line saying why a failed export was cut must reach the client (lib/export/failure.ts).
    "Cache-Control": "no-store, no-transform",
  });
  if (total !== null) headers.set("X-Total-Count", String(total));
  return recordedCsvResponse(
    stream,
    {
      admin: input.admin,
      provider: adapter.id,
      source: query.source,
      snapshotId,
      filters: query.filters,
      columns: query.columns.map((column) => column.id),
    },
    headers,
    input.record,
    started,
  );
}
