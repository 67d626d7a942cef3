import "server-only";

import { ApiError } from "@/lib/api/errors";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import type { ProviderAdapter } from "@/lib/providers/types";
import type { User, UsersFilters } from "@/lib/users/schema";

import type { ExportColumn } from "./columns";
import { CSV_BOM, csvRow } from "./csv";
import { CsvBytes } from "./csv-bytes";
import { exportFailureLine } from "./failure";
import type { ExportOutcome } from "./log";

/** How long the failure line gets to reach the socket before a failed download is cut. */
const FAILURE_LINE_GRACE_MS = 250;

export interface CsvExportSettled {
  outcome: ExportOutcome;
  rows: number;
  /** What ended a failed export. */
  error?: unknown;
}

export interface CsvExportInput {
  adapter: Pick<ProviderAdapter, "exportUsers">;
  filters: UsersFilters;
  columns: readonly ExportColumn[];
  concurrency: number;
  /** The request's signal: a client that goes away stops the vendor calls. */
  signal: AbortSignal;
  /** Called exactly once, when the export ends whichever way. */
  onSettled: (result: CsvExportSettled) => void;
}

/**
 * An `onSettled` for the exports whose manifest records the outcome: a failed
 * one also gets a line in the server's log with its cause (`label` names the
 * export, e.g. "people export").
 */
export function logExportFailure(label: string): (result: CsvExportSettled) => void {
  return ({ outcome, error }) => {
    if (outcome !== "failed") return;
    const cause = error instanceof ApiError ? (error.detail ?? error.code) : "error";
    console.error(`[roster] ${label} failed (${cause})`);
  };
}

export interface CsvExport {
  stream: ReadableStream<Uint8Array>;
  /** The number of rows, where the vendor reported it before the first row. */
  total: number | null;
  /** The directory snapshot read, for `source=directory`; null for a live read. */
  snapshotId: number | null;
}

/**
 * Starts an export: reads the first batch before returning, so that a vendor
 * failing on the first page becomes a JSON error response rather than a broken
 * download, and so the total is known for `X-Total-Count`. See
 * `startCsvStream` for how the rest streams.
 */
export async function startCsvExport(input: CsvExportInput): Promise<CsvExport> {
  const { columns } = input;
  let total: number | null = null;
  let snapshotId: number | null = null;
  const stream = await startCsvStream<User>({
    header: columns.map((column) => column.id),
    batches: (signal) =>
      input.adapter.exportUsers({
        filters: input.filters,
        concurrency: input.concurrency,
        signal,
        onTotal: (n) => {
          total = n;
        },
        onSnapshot: (id) => {
          snapshotId = id;
        },
      }),
    writeRow: (out, user) => {
      for (let i = 0; i < columns.length; i++) out.cell(columns[i]!.value(user), i === 0);
      out.endRow();
    },
    signal: input.signal,
    onSettled: input.onSettled,
  });
  return { stream, total, snapshotId };
}

export interface CsvStreamInput<T> {
  /** The header row's cells. */
  header: readonly string[];
  /**
   * The items, in batches, read one batch per pull. `signal` aborts when the
   * export ends before its last batch (client gone, cancelled or failed).
   */
  batches: (signal: AbortSignal) => AsyncIterable<readonly T[]>;
  /** Writes one item's CSV row (or rows), each ended with `out.endRow()`. */
  writeRow: (out: CsvBytes, item: T) => void;
  /** The request's signal: a client that goes away stops the reads. */
  signal: AbortSignal;
  /** Called exactly once, when the export ends whichever way; `rows` counts items. */
  onSettled: (result: CsvExportSettled) => void;
}

/**
 * A CSV body over batches read as the client takes them: reads the first
 * batch before returning (a failure there rejects, so the route answers a
 * JSON error), then pulls one batch per read (backpressure: a slow client
 * slows the reads) and holds no more than the batch being written. A failure
 * later ends the body with the failure line (`lib/export/failure.ts`) when it
 * is an `ApiError`, then errors it, which aborts the HTTP response so the
 * download fails visibly instead of ending short.
 */
export async function startCsvStream<T>(
  input: CsvStreamInput<T>,
): Promise<ReadableStream<Uint8Array>> {
  const abort = new AbortController();
  let rows = 0;
  let settled = false;
  const settle = (outcome: ExportOutcome, error?: unknown) => {
    if (settled) return;
    settled = true;
    input.signal.removeEventListener("abort", onClientGone);
    input.onSettled(error === undefined ? { outcome, rows } : { outcome, rows, error });
  };
  function onClientGone() {
    settle("cancelled");
    abort.abort(input.signal.reason);
  }
  if (input.signal.aborted) onClientGone();
  else input.signal.addEventListener("abort", onClientGone, { once: true });
  const failure = (error: unknown) => {
    settle(abort.signal.aborted ? "cancelled" : "failed", error);
    abort.abort();
    void iterator.return?.().catch(() => undefined);
  };

  const iterator = input.batches(abort.signal)[Symbol.asyncIterator]();
  let first: IteratorResult<readonly T[]>;
  try {
    first = await iterator.next();
  } catch (error) {
    failure(error);
    throw error;
  }

  const encoder = new TextEncoder();
  // One buffer for the whole export; each batch leaves it as a chunk of its own.
  const out = new CsvBytes();
  const encode = (batch: readonly T[], prefix = "") => {
    if (prefix) out.text(prefix);
    for (const item of batch) input.writeRow(out, item);
    rows += batch.length;
    return out.take();
  };

  let failedWithLine = false;
  const abortDownload = (controller: ReadableStreamDefaultController<Uint8Array>) =>
    // An AbortError: Next.js then destroys the connection, so the client sees the download fail,
    // without logging the vendor's error as a crash (the export's own log line records it).
    controller.error(new DOMException("The CSV export was aborted before its end", "AbortError"));

  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The header goes out with the first batch so the client sees rows at once.
      const header = CSV_BOM + csvRow(input.header);
      const done = first.done;
      controller.enqueue(encode(done ? [] : first.value, header));
      // The stream's closures live as long as the download: they must not keep the first batch.
      first = { done: true, value: undefined };
      if (done) {
        controller.close();
        settle("ok");
      }
    },
    async pull(controller) {
      if (failedWithLine) {
        // The failure line went out with the previous pull, but Next.js writes it to the socket
        // a few ticks later, and later still on a busy machine (one tick was not enough in CI):
        // give it a moment before the download is cut.
        await new Promise((resolve) => setTimeout(resolve, FAILURE_LINE_GRACE_MS));
        return abortDownload(controller);
      }
      try {
        // Skip empty batches here: a pull that enqueues nothing would never be called again.
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            settle("ok");
            return;
          }
          if (next.value.length > 0) {
            controller.enqueue(encode(next.value));
            return;
          }
        }
      } catch (error) {
        failure(error);
        if (error instanceof ApiError && !input.signal.aborted) {
          // Erroring now would drop this chunk from the queue: it goes out first.
          failedWithLine = true;
          controller.enqueue(encoder.encode(exportFailureLine(error.code)));
          return;
        }
        abortDownload(controller);
      }
    },
    async cancel(reason) {
      settle("cancelled");
      abort.abort(reason);
      await iterator.return?.().catch(() => undefined);
    },
  });
}

/**
 * The batches, with a failure after the first batch that is neither an
 * `ApiError` nor an abort (a database error) turned into `internal_error`, or
 * `database_unavailable` when the database stopped answering, so the download
 * ends with a failure line naming it. A failure on the first batch stays as it
 * is, for the route's usual answer (500, 503, or 499 for a client gone).
 */
export async function* midwayFailuresAsApiErrors<T>(
  batches: AsyncIterable<readonly T[]>,
  message: string,
): AsyncGenerator<readonly T[], void, undefined> {
  let first = true;
  try {
    for await (const batch of batches) {
      first = false;
      yield batch;
    }
  } catch (error) {
    if (
      first ||
      error instanceof ApiError ||
      (error instanceof Error && error.name === "AbortError")
    ) {
      throw error;
    }
    const unreachable = databaseUnavailableReason(error);
    if (unreachable !== null) {
      throw new ApiError("database_unavailable", "Roster's database stopped answering.", {
        cause: error,
        detail: unreachable,
      });
    }
    throw new ApiError("internal_error", message, {
      cause: error,
      detail: error instanceof Error ? error.name : undefined,
    });
  }
}
