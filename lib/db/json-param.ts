import "server-only";

import { sql, type SQL } from "drizzle-orm";

/**
 * One writer's buffer for `jsonbArray`, reused from one statement to the next
 * (it grows to the largest page and stays). node-postgres copies a bound
 * buffer into its own message when it sends the query, so the bytes are free
 * again once that statement has answered; a writer that awaits each statement
 * before binding the next may therefore use one. Without it, every page left a
 * page-sized buffer behind for the garbage collector: a first sync of 100,000
 * users on PostgreSQL peaked at about 100 MiB of such external memory, 4 to 10
 * MiB with it (measured in one process).
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
 * query, bound as one parameter in the form the driver takes fastest.
 *
 * - PostgreSQL (node-postgres): bytes in jsonb's binary form (a version byte,
 *   then the UTF-8 text). A large string with any non-ASCII character is slow
 *   to bind in Node.js 20: the driver measures and writes its UTF-8 character
 *   by character (about 2.5 ms for a 250-user page, a sixth of a sync's CPU),
 *   while the same text converted item by item takes V8's fast path. Written
 *   into `scratch` when given (see JsonbScratch: only for a writer that awaits
 *   each statement before the next), else into a buffer of its own.
 * - PGlite: a string. It serializes bytes as `bytea` hex, which is slower.
 */
export function jsonbArray(items: readonly string[], server: boolean, scratch?: JsonbScratch): SQL {
  if (!server) return sql`${`[${items.join(",")}]`}::jsonb`;
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
