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
