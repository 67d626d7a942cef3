import "server-only";

import type { Db } from "@/lib/db/client";
import { logExportFailure, midwayFailuresAsApiErrors, startCsvStream } from "@/lib/export/stream";

import { canonicalJson } from "./canonical";
import { iterateActivity } from "./log";
import type { ActivityEntry, ActivityQuery } from "./schema";

export const ACTIVITY_CSV_COLUMNS = ["seq", "at", "kind", "admin", "details", "prev_hash", "hash"];

/**
 * Every matching entry, oldest first, as a streamed CSV. `details` is its
 * canonical JSON, so a row can be re-hashed. The first batch is read before
 * this resolves (a database error there rejects, for a JSON error), the rest
 * one batch per read as the client takes them; a database error midway ends
 * the body with `#roster-export-failed:internal_error` and cuts it; the client
 * going away (`signal`) stops the reads.
 */
export async function startActivityCsvExport(input: {
  db: Db;
  query: Omit<ActivityQuery, "limit" | "before">;
  signal: AbortSignal;
  batchSize?: number;
}): Promise<ReadableStream<Uint8Array>> {
  return await startCsvStream<ActivityEntry>({
    header: ACTIVITY_CSV_COLUMNS,
    batches: (signal) =>
      midwayFailuresAsApiErrors(
        iterateActivity(input.db, input.query, { batchSize: input.batchSize, signal }),
        "The activity log could not be read from the database.",
      ),
    writeRow: (out, e) => {
      const cells = [
        String(e.seq),
        e.at,
        e.kind,
        e.admin,
        canonicalJson(e.details),
        e.prevHash,
        e.hash,
      ];
      for (let i = 0; i < cells.length; i++) out.cell(cells[i] ?? null, i === 0);
      out.endRow();
    },
    signal: input.signal,
    onSettled: logExportFailure("activity export"),
  });
}
