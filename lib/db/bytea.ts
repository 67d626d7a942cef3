import "server-only";

/**
 * PGlite's codec for `bytea`, in place of its own, which went through an
 * array of every byte: it wrote a parameter as hex one byte at a time
 * (`Array.from(bytes).map(...).join("")`) and read a value with a `parseInt`
 * per byte. Storing a closed review's 3.2 MB evidence took PGlite about
 * 0.7 s of this thread, and memory in proportion, growing with the review.
 *
 * - A parameter's bytes go through as they are: PGlite binds a byte array in
 *   the binary format, which for `bytea` is the bytes themselves. Anything
 *   else goes to its own serializer (which refuses it).
 * - A value arrives as text, `\x` and hex digits (`bytea_output` is `hex`,
 *   PostgreSQL's default), decoded by Node.js's native hex decoder. Any other
 *   form goes to its own parser.
 */
export function pgliteByteaSerializer(fallback: (value: unknown) => string) {
  return (value: unknown): string =>
    // PGlite's type says string; its bind sends an ArrayBuffer view in the binary format.
    value instanceof Uint8Array ? (value as unknown as string) : fallback(value);
}

export function pgliteByteaParser(fallback: (text: string) => unknown) {
  return (text: string): unknown =>
    text.startsWith("\\x") && text.length % 2 === 0
      ? Buffer.from(text.slice(2), "hex")
      : fallback(text);
}
