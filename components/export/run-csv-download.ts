/**
 * Downloads one CSV export, loaded on the first click of an "Export CSV"
 * button (no visit needs it before): streams the response, counting rows as
 * they arrive, and saves the file only when the whole body came through, so a
 * failed export never leaves a truncated file that looks complete. Shared by
 * the users export and the People, Changes and Activity log ones.
 */
import { saveFile } from "@/components/ui/save-file";
import { CsvRecordCounter } from "@/lib/export/csv";
import { exportFailureCode } from "@/lib/export/failure";
import { filenameFromDisposition } from "@/lib/export/filename";
import { readApiError } from "@/lib/api/json-guards";
import type { ApiErrorCode } from "@/lib/users/schema";

import { formatCount, type CsvDownload, type CsvExportState } from "./use-csv-export";

const STOPPED_MESSAGE = "The export stopped before it finished, so no file was saved.";

const listChangedMessage = (subject: string) => `${subject} changed during the export: try again.`;

/** Why an export stopped, for the codes a failure line carries (lib/export/stream.ts). */
const STOPPED_BECAUSE: Partial<Record<ApiErrorCode, string>> = {
  internal_error: "Roster's server hit an error",
  database_unavailable: "Roster's database stopped answering",
  upstream_unavailable: "the vendor stopped answering",
  upstream_timeout: "the vendor took too long to answer",
  upstream_auth_failed: "the vendor rejected Roster's key",
  upstream_invalid_response: "the vendor sent an answer Roster could not read",
};

/** The alert for a download cut midway, naming what its failure line's code means. */
function stoppedMessage(code: string | null, subject: string): string {
  if (code === "list_changed") return listChangedMessage(subject);
  const reason = code ? STOPPED_BECAUSE[code as ApiErrorCode] : undefined;
  return reason
    ? `The export stopped before it finished: ${reason}. No file was saved.`
    : STOPPED_MESSAGE;
}

/** The code of the failure line a cut download ends with (see lib/export/failure.ts), if any. */
function failureCode(chunks: readonly Uint8Array[]): string | null {
  const tail: Uint8Array[] = [];
  let size = 0;
  for (let i = chunks.length - 1; i >= 0 && size < 256; i--) {
    const chunk = chunks[i];
    if (!chunk) continue;
    tail.unshift(chunk);
    size += chunk.length;
  }
  return exportFailureCode(new TextDecoder().decode(concat(tail)));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function errorMessage(response: Response, subject: string): Promise<string> {
  try {
    const error = readApiError(await response.json());
    if (error) return error.code === "list_changed" ? listChangedMessage(subject) : error.message;
  } catch {
    // Not JSON: fall through to the status.
  }
  return `The export could not start (HTTP ${response.status}).`;
}

function parseTotal(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header)) return null;
  return Number(header);
}

export async function runCsvDownload(
  { url, filename: fallbackFilename, subject }: CsvDownload,
  signal: AbortSignal,
  setState: (state: CsvExportState) => void,
): Promise<void> {
  let received: readonly Uint8Array[] = [];
  try {
    const response = await fetch(url, {
      signal,
      cache: "no-store",
      headers: { Accept: "text/csv" },
    });
    if (!response.ok || !response.body) {
      setState({ phase: "failed", message: await errorMessage(response, subject) });
      return;
    }
    const total = parseTotal(response.headers.get("X-Total-Count"));
    const filename =
      filenameFromDisposition(response.headers.get("Content-Disposition")) ?? fallbackFilename;
    const counter = new CsvRecordCounter();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    received = chunks;
    const reader = response.body.getReader();
    setState({ phase: "running", rows: 0, total });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      counter.push(value);
      setState({ phase: "running", rows: counter.rows, total });
    }
    // A proxy may end a cut body as if it were whole: its failure line still says it is not.
    const code = failureCode(chunks);
    if (code !== null) {
      setState({ phase: "failed", message: stoppedMessage(code, subject) });
      return;
    }
    saveFile(new Blob(chunks, { type: "text/csv;charset=utf-8" }), filename);
    setState({
      phase: "idle",
      notice: `Exported ${formatCount(counter.rows)} ${counter.rows === 1 ? "row" : "rows"} to ${filename}.`,
    });
  } catch {
    setState(
      signal.aborted
        ? { phase: "idle", notice: "Export cancelled. No file was saved." }
        : { phase: "failed", message: stoppedMessage(failureCode(received), subject) },
    );
  }
}
