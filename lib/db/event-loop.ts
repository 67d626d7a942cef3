import "server-only";

/**
 * A turn of the event loop between the statements of a long database job.
 * PGlite runs each statement in this thread: a statement over 100,000 rows
 * held it for 5 s or more, so every request waited that long and an idle
 * keep-alive connection could be closed under a request already sent
 * (ECONNRESET). Long jobs go in chunks with one of these between them.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
