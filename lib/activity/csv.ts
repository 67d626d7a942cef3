import "server-only";

import { CSV_BOM, csvRow } from "@/lib/export/csv";
import type { Db } from "@/lib/db/client";

import { canonicalJson } from "./canonical";
import { iterateActivity } from "./log";
import type { ActivityQuery } from "./schema";

export const ACTIVITY_CSV_COLUMNS = ["seq", "at", "kind", "admin", "details", "prev_hash", "hash"];

/**
 * Every matching entry, oldest first, as CSV, read in batches as the client
 * takes them. `details` is its canonical JSON, so a row can be re-hashed.
 */
export function activityCsvStream(
  db: Db,
  query: Omit<ActivityQuery, "limit" | "before">,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = iterateActivity(db, query);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = started ? "" : CSV_BOM + csvRow(ACTIVITY_CSV_COLUMNS);
      started = true;
      const next = await batches.next();
      if (!next.done) {
        for (const e of next.value) {
          text += csvRow([
            String(e.seq),
            e.at,
            e.kind,
            e.admin,
            canonicalJson(e.details),
            e.prevHash,
            e.hash,
          ]);
        }
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (next.done) controller.close();
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
