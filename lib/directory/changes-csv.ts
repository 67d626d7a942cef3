import "server-only";

import type { Db } from "@/lib/db/client";
import type { CsvBytes } from "@/lib/export/csv-bytes";
import { logExportFailure, midwayFailuresAsApiErrors, startCsvStream } from "@/lib/export/stream";

import { changePages, listChanges, type ChangesRange } from "./changes";
import type { Change, ChangesQuery } from "./schema";

/** The Changes export's columns, in order. */
export const CHANGES_CSV_COLUMNS = ["change", "id", "email", "name", "field", "old", "new"];

const text = (value: string | boolean | null) => (value === null ? null : String(value));

/** One line per changed field; an added or removed user is one line with no field. */
function writeChange(out: CsvBytes, change: Change): void {
  const line = (field: string | null, old: string | null, now: string | null) => {
    const cells = [change.change, change.id, change.email, change.name, field, old, now];
    for (let i = 0; i < cells.length; i++) out.cell(cells[i] ?? null, i === 0);
    out.endRow();
  };
  if (change.fields.length === 0) line(null, null, null);
  for (const field of change.fields) line(field.field, text(field.old), text(field.new));
}

export interface ChangesCsvExport {
  stream: ReadableStream<Uint8Array>;
  /** The snapshots read, which every row comes from. */
  range: ChangesRange;
}

/**
 * The changes between two snapshots as a streamed CSV: the first page is read
 * before this resolves (a bad range or an empty directory rejects, for a JSON
 * error), the rest one page per read as the client takes them, all from the
 * snapshots the first page resolved. A failure midway ends the body with
 * `#roster-export-failed:<code>` and cuts it, as the users export does; the
 * client going away (`signal`) stops the reads.
 */
export async function startChangesCsvExport(input: {
  db: Db;
  query: Omit<ChangesQuery, "limit" | "cursor">;
  signal: AbortSignal;
  pageSize?: number;
  readPage?: typeof listChanges;
}): Promise<ChangesCsvExport> {
  let range: ChangesRange | undefined;
  const stream = await startCsvStream<Change>({
    header: CHANGES_CSV_COLUMNS,
    // A database error after the first page ends the download with a line naming it; on the
    // first page it stays as it is, for the route's usual 500 (or 499).
    batches: (signal) =>
      midwayFailuresAsApiErrors(
        changePages(input.db, input.query, {
          signal,
          pageSize: input.pageSize,
          readPage: input.readPage,
          onRange: (read) => {
            range = read;
          },
        }),
        "The changes could not be read from the directory.",
      ),
    writeRow: writeChange,
    signal: input.signal,
    onSettled: logExportFailure(`changes export of ${input.query.provider}`),
  });
  if (!range) throw new Error("changePages yielded before resolving its range");
  return { stream, range };
}
