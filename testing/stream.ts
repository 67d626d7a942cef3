import { expect, vi } from "vitest";

/**
 * Reads a streamed body to its end or its error, as text (a byte order mark
 * kept): what arrived, and how it ended (`error` null when it closed).
 */
export async function drainText(
  stream: ReadableStream<Uint8Array>,
): Promise<{ body: string; error: unknown }> {
  const reader = stream.getReader();
  const text = new TextDecoder("utf-8", { ignoreBOM: true });
  let body = "";
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return { body, error: null };
      body += text.decode(next.value, { stream: true });
    }
  } catch (error) {
    return { body, error };
  }
}

/**
 * A streamed export's answer to its client going away: takes the first chunk,
 * lets the read-ahead of the next settle (`reads.count` at 2), aborts
 * `client`, and checks that the stream ends with an error and reads nothing
 * more from the database.
 */
export async function expectNoReadAfterAbort(
  stream: ReadableStream<Uint8Array>,
  client: AbortController,
  reads: { count: number },
): Promise<void> {
  const reader = stream.getReader();
  await reader.read();
  await vi.waitFor(() => expect(reads.count).toBe(2));
  client.abort();
  const after = reads.count;
  reader.releaseLock();
  const rest = await drainText(stream);
  expect(rest.error).not.toBeNull();
  expect(reads.count).toBe(after);
}
