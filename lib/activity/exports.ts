import "server-only";

import { createHash } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import { getDb, type Db } from "@/lib/db/client";
import { activityLog } from "@/lib/db/schema";
import { CsvRecordCounter } from "@/lib/export/csv";
import type { ProviderId, UsersFilters } from "@/lib/users/schema";

import { recordActivity } from "./log";
import { EXPORT_LISTS, type ActivityDetails } from "./schema";

/** The response header that names an export's manifest: `GET /api/exports/{id}`. */
export const EXPORT_ID_HEADER = "X-Roster-Export-Id";

export interface ExportDigestResult {
  /** Data rows (CSV records after the header). */
  rows: number;
  bytes: number;
  /** sha256 (hex) of exactly the bytes sent, BOM included. */
  sha256: string;
}

/**
 * A pass-through for the CSV body that hashes and counts it as it streams:
 * the file is never held in memory. `result()` is final once the stream has
 * ended (before that it describes the bytes so far).
 */
export function createExportDigest(): {
  transform: TransformStream<Uint8Array, Uint8Array>;
  /** Counts and hashes one chunk on its way out. */
  update(chunk: Uint8Array): void;
  result(): ExportDigestResult;
} {
  const hash = createHash("sha256");
  const counter = new CsvRecordCounter();
  let bytes = 0;
  let digest: string | null = null;
  const update = (chunk: Uint8Array) => {
    hash.update(chunk);
    counter.push(chunk);
    bytes += chunk.byteLength;
  };
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      update(chunk);
      controller.enqueue(chunk);
    },
  });
  return {
    transform,
    update,
    result() {
      digest ??= hash.copy().digest("hex");
      return { rows: counter.rows, bytes, sha256: digest };
    },
  };
}

export type ExportStart = {
  admin: string;
  source: "vendor" | "directory";
  snapshotId: number | null;
  columns: readonly string[];
} & (
  | { list?: "users"; provider: ProviderId; filters: UsersFilters }
  | {
      list: "people";
      provider: null;
      filters: ActivityDetails<"export.started">["filters"] & { flags: string[] };
      people: PeopleExportInputs;
    }
  | {
      list: "changes";
      provider: ProviderId;
      filters: ActivityDetails<"export.started">["filters"] & { from: string | null };
    }
);

/** What the log keeps of an export's filters: never the text of an email filter. */
function loggedFilters(start: ExportStart): ActivityDetails<"export.started">["filters"] {
  if (start.list === "people" || start.list === "changes") return start.filters;
  return {
    status: start.filters.status ?? null,
    email: start.filters.email !== undefined,
    groups: start.filters.groups,
  };
}

type PeopleExportInputs = NonNullable<ActivityDetails<"export.started">["people"]>;

export type ExportEnd = Omit<ActivityDetails<"export.finished">, "exportId">;

export interface RecordedExport {
  /** The manifest id: put it in `X-Roster-Export-Id` before the body streams. */
  id: number;
  /** Appends the `export.finished` entry; call once, when the body ended whichever way. */
  finish(end: ExportEnd): Promise<void>;
  /** Resolves once the finished entry is written (or failed to be): for tests and shutdown. */
  settled(): Promise<void>;
}

/**
 * Records an export in two entries, because the log is append-only and the id
 * must be in the headers before the first byte: `export.started` now (its seq
 * is the id), `export.finished` when the stream ends, referring to it. The
 * manifest joins the two; an export without a finished entry reads `running`
 * (or was cut off by a crash). Rewriting the first entry instead would change
 * a hash later entries already chain to.
 */
export async function recordExport(
  db: Db | undefined,
  start: ExportStart,
): Promise<RecordedExport> {
  const target = db ?? (await getDb());
  const entry = await recordActivity(target, {
    kind: "export.started",
    admin: start.admin,
    details: {
      ...(start.list && start.list !== "users" ? { list: start.list } : {}),
      provider: start.provider,
      source: start.source,
      snapshotId: start.snapshotId,
      ...(start.list === "people" ? { people: start.people } : {}),
      filters: loggedFilters(start),
      columns: [...start.columns],
    },
  });
  let finishing: Promise<void> | null = null;
  let markSettled = () => {};
  const settled = new Promise<void>((resolve) => {
    markSettled = resolve;
  });
  return {
    id: entry.seq,
    finish(end) {
      finishing ??= recordActivity(target, {
        kind: "export.finished",
        admin: start.admin,
        details: { exportId: entry.seq, ...end },
      })
        .then(() => undefined)
        .finally(markSettled);
      return finishing;
    },
    settled: () => settled,
  };
}

/**
 * Wraps an export's body: hashes and counts it on the way out and calls
 * `record.finish` once when it ends (`ok`), fails (`failed`) or the client
 * goes away (`cancelled`), whichever comes first: a read still on its way when
 * the client goes away settles after the cancel, and is not a second end. A
 * failure to write the log entry is logged, never thrown into the download.
 */
export function trackExport(
  body: ReadableStream<Uint8Array>,
  record: Pick<RecordedExport, "id" | "finish">,
  startedAt = performance.now(),
): ReadableStream<Uint8Array> {
  const digest = createExportDigest();
  // Read the body directly, one chunk per pull: through a pipe, a chunk still queued when the body
  // errors would be dropped, and that chunk is the line saying why an export was cut off.
  const reader = body.getReader();
  let ended = false;
  const end = (outcome: ExportEnd["outcome"], error?: string) => {
    if (ended) return;
    ended = true;
    const result = digest.result();
    const details: ExportEnd = {
      outcome,
      ...result,
      durationMs: Math.max(0, Math.round(performance.now() - startedAt)),
      ...(error ? { error } : {}),
    };
    record.finish(details).catch((cause: unknown) => {
      console.error(
        `[roster] export ${record.id}: finished entry not written (${cause instanceof Error ? cause.name : "error"})`,
      );
    });
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          controller.close();
          end("ok");
        } else {
          digest.update(next.value);
          controller.enqueue(next.value);
        }
      } catch (error) {
        end("failed", error instanceof Error ? error.name.slice(0, 64) : "error");
        controller.error(error);
      }
    },
    async cancel(reason) {
      end("cancelled");
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

/**
 * A CSV download recorded in the activity log: `export.started` before the
 * first byte (its id in `X-Roster-Export-Id`), `export.finished` with the
 * file's sha256 when the body ends. An export that cannot be recorded is not
 * sent (500): an unrecorded file would be a gap in the evidence.
 */
export async function recordedCsvResponse(
  body: ReadableStream<Uint8Array>,
  start: ExportStart,
  headers: HeadersInit,
  record: (start: ExportStart) => Promise<RecordedExport> = (s) => recordExport(undefined, s),
  startedAt = performance.now(),
): Promise<Response> {
  let recorded: RecordedExport;
  try {
    recorded = await record(start);
  } catch (error) {
    await body.cancel().catch(() => undefined);
    throw new ApiError("internal_error", "The export could not be recorded in the activity log.", {
      cause: error,
      detail: error instanceof Error ? error.name : undefined,
    });
  }
  const all = new Headers(headers);
  all.set(EXPORT_ID_HEADER, String(recorded.id));
  return new Response(trackExport(body, recorded, startedAt), { headers: all });
}

export interface ExportManifest {
  id: number;
  admin: string | null;
  startedAt: string;
  finishedAt: string | null;
  list: (typeof EXPORT_LISTS)[number];
  provider: ProviderId | null;
  source: "vendor" | "directory";
  snapshotId: number | null;
  /** People only: the build it read and what that build was made from; null for other lists. */
  people: PeopleExportInputs | null;
  filters: ActivityDetails<"export.started">["filters"];
  columns: string[];
  outcome: ExportEnd["outcome"] | "running";
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  durationMs: number | null;
  error: string | null;
  /** The two log entries behind the manifest, for checking against `GET /api/activity/verify`. */
  entries: {
    started: { seq: number; hash: string };
    finished: { seq: number; hash: string } | null;
  };
}

/** The manifest of export `id`, or null when there is no such export. */
export async function getExportManifest(db: Db, id: number): Promise<ExportManifest | null> {
  const [started] = await db
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.seq, id), eq(activityLog.kind, "export.started")));
  if (!started) return null;
  const [finished] = await db
    .select()
    .from(activityLog)
    .where(
      and(
        eq(activityLog.kind, "export.finished"),
        gt(activityLog.seq, id),
        sql`(${activityLog.details}->>'exportId')::bigint = ${id}`,
      ),
    )
    .limit(1);
  const s = started.details as ActivityDetails<"export.started">;
  const f = finished?.details as ActivityDetails<"export.finished"> | undefined;
  return {
    id,
    admin: started.admin,
    startedAt: started.at.toISOString(),
    finishedAt: finished ? finished.at.toISOString() : null,
    list: s.list ?? "users",
    provider: s.provider,
    source: s.source,
    snapshotId: s.snapshotId,
    people: s.people ?? null,
    filters: s.filters,
    columns: s.columns,
    outcome: f?.outcome ?? "running",
    rows: f?.rows ?? null,
    bytes: f?.bytes ?? null,
    sha256: f?.sha256 ?? null,
    durationMs: f?.durationMs ?? null,
    error: f?.error ?? null,
    entries: {
      started: { seq: started.seq, hash: started.hash },
      finished: finished ? { seq: finished.seq, hash: finished.hash } : null,
    },
  };
}
