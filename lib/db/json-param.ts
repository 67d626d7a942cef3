import "server-only";

import { sql, type SQL } from "drizzle-orm";

/**
 * One writer's buffer for `jsonbArray`, reused from one statement to the next
 * (it grows to the largest page and stays). node-postgres and PGlite copy a
 * bound buffer into their own message when they send the query, so the bytes
 * are free again once that statement has answered; a writer that awaits each
 * statement before binding the next may therefore use one. Without it, every
 * page left a page-sized buffer behind for the garbage collector: a first sync
 * of 100,000 users on PostgreSQL peaked at about 100 MiB of such external
 * memory, 4 to 10 MiB with it (measured in one process).
 */
export class JsonbScratch {
  private buffer: Buffer | undefined;

  /** `length` bytes to write into, valid until the next call. */
  take(length: number): Buffer {
    if (!this.buffer || this.buffer.length < length) {
      this.buffer = Buffer.allocUnsafe(Math.max(length, 2 * (this.buffer?.length ?? 0)));
    }
    return this.buffer.subarray(0, length);
  }
}

/**
 * The JSON array of `items` (each already JSON text) as a `jsonb` value in a
 * query, bound as one parameter: bytes in jsonb's binary form (a version
 * byte, then the UTF-8 text), which both drivers send as they are.
 *
 * As a string, a page cost its driver a character-by-character pass in
 * JavaScript to measure and write its UTF-8: node-postgres about 2.5 ms for a
 * 250-user page with any non-ASCII character in Node.js 20; PGlite measures
 * the string twice, and binding a 100-user page (150 kB) and reading it as
 * jsonb took it 2.1 to 2.9 ms as a string against 1.1 to 1.5 ms as bytes. In
 * alternating bench runs, a first sync of 100,000 Telnyx users on PGlite used
 * 13.0 s of Roster's CPU with bytes against 16.2 s with a string (means of 4).
 * PGlite passes bytes through only with the jsonb serializer its client is
 * opened with (`pgliteJsonbSerializer`).
 *
 * Written into `scratch` when given (see JsonbScratch: only for a writer that
 * awaits each statement before the next; both drivers copy the bytes into
 * their message when the statement is bound), else into a buffer of its own.
 */
export function jsonbArray(items: readonly string[], scratch?: JsonbScratch): SQL {
  // jsonb's binary form: version 1, then the JSON text, written into one buffer of the exact
  // size (a buffer per item and then their concatenation allocated the page twice over).
  let length = items.length === 0 ? 3 : 2 + items.length;
  for (const item of items) length += Buffer.byteLength(item);
  const bytes = scratch ? scratch.take(length) : Buffer.allocUnsafe(length);
  bytes[0] = 1;
  let at = 1;
  for (let i = 0; i < items.length; i++) {
    bytes[at++] = i === 0 ? 0x5b : 0x2c; // "[" or ","
    at += bytes.write(items[i]!, at);
  }
  if (items.length === 0) bytes[at++] = 0x5b;
  bytes[at++] = 0x5d; // "]"
  return sql`${bytes}::jsonb`;
}

/**
 * PGlite's serializer for `jsonb` parameters, with bytes passed through as
 * they are: PGlite binds a byte array in the binary format, so `jsonbArray`'s
 * bytes reach `jsonb_recv` unchanged. Its own serializer would write them as
 * the JSON of an object (`{"0":1,...}`). Anything else goes to its own
 * serializer (a string as it is, other values as JSON).
 */
export function pgliteJsonbSerializer(fallback: (value: unknown) => string) {
  return (value: unknown): string =>
    // PGlite's type says string; its bind sends an ArrayBuffer view in the binary format.
    value instanceof Uint8Array ? (value as unknown as string) : fallback(value);
}
