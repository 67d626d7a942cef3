import { readApiError } from "@/lib/api/json-guards";
import {
  NDJSON_TYPE,
  streamEventSchema,
  type CheckRequest,
  type CheckResponse,
} from "@/lib/offboarding/schema";

export class CheckError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CheckError";
  }
}

/**
 * Runs one check through the streaming API: reports progress as NDJSON lines
 * arrive and resolves with the `done` line's answer. Aborting `signal` cancels
 * the request, and with it the server's vendor calls.
 */
export async function streamCheck(
  request: CheckRequest,
  signal: AbortSignal,
  onProgress: (checked: number, total: number) => void,
): Promise<CheckResponse> {
  const response = await fetch("/api/offboarding/check", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: NDJSON_TYPE },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok || !response.body) {
    const error = readApiError(await response.json().catch(() => null));
    throw error
      ? new CheckError(error.code, error.message)
      : new CheckError("http_error", `The check failed (HTTP ${response.status}). Try again.`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
      if (line.trim() === "") continue;
      const event = streamEventSchema.parse(JSON.parse(line));
      if (event.type === "start") onProgress(0, event.total);
      else if (event.type === "progress") onProgress(event.checked, event.total);
      else if (event.type === "done") return event.result;
      else throw new CheckError(event.error.code, event.error.message);
    }
  }
  throw new CheckError("incomplete", "The check ended before its answer arrived. Try again.");
}
