/**
 * CSV written straight into UTF-8 bytes, for exports of many rows. The same
 * cells as `csvRow` (lib/export/csv.ts) byte for byte, but a plain cell (the
 * usual id, email, status or date) is copied into the buffer without building
 * a single string: building each row as strings allocated more than the
 * vendor's page did, and on a busy export that garbage outlived the young
 * generation and piled up in the old one.
 */
import { CSV_LINE_END, csvCell } from "./csv";

const COMMA = 0x2c;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;
const SPACE = 0x20;
const DEL = 0x7f;

/**
 * Whether the first character keeps a cell from being written as it is: a
 * formula sign (`=`, `+`, `-`, `@`), a space, after which one may follow, or
 * the `'` that the guard doubles.
 */
function leadsGuard(code: number): boolean {
  return (
    code === 0x3d ||
    code === 0x2b ||
    code === 0x2d ||
    code === 0x40 ||
    code === SPACE ||
    code === 0x27
  );
}

/**
 * A growing byte buffer for one chunk of CSV at a time. `take()` hands out the
 * bytes written since the last `take()` as a chunk of exactly that size and
 * keeps the buffer for the next chunk, so an export holds one buffer however
 * many rows it writes.
 */
export class CsvBytes {
  #buffer: Uint8Array;
  #length = 0;
  readonly #encoder = new TextEncoder();

  constructor(initialBytes = 64 * 1024) {
    this.#buffer = new Uint8Array(initialBytes);
  }

  /** Text that is CSV already (the BOM, a header, a line end), encoded as it is. */
  text(value: string): void {
    // encodeInto writes at most 3 bytes per UTF-16 unit.
    this.#reserve(value.length * 3);
    this.#length += this.#encoder.encodeInto(value, this.#buffer.subarray(this.#length)).written;
  }

  /** One cell as `csvCell` writes it, preceded by a comma unless it is the row's first. */
  cell(value: string | null, first: boolean): void {
    this.#reserve(1 + (value === null ? 0 : value.length));
    if (!first) this.#buffer[this.#length++] = COMMA;
    if (value === null || value.length === 0) return;
    if (!leadsGuard(value.charCodeAt(0))) {
      // Printable ASCII without a quote, comma or semicolon is its own cell: copy it as it is.
      const buffer = this.#buffer;
      let at = this.#length;
      let plain = true;
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code < SPACE || code >= DEL || code === QUOTE || code === COMMA || code === SEMICOLON) {
          plain = false;
          break;
        }
        buffer[at++] = code;
      }
      if (plain) {
        this.#length = at;
        return;
      }
    }
    // Anything else (non-ASCII, characters to quote, a formula to neutralize) the way csvCell says.
    this.text(csvCell(value));
  }

  /** Ends a row (CRLF). */
  endRow(): void {
    this.#reserve(CSV_LINE_END.length);
    this.#buffer[this.#length++] = 0x0d;
    this.#buffer[this.#length++] = 0x0a;
  }

  /** The bytes written since the last `take()`, as their own chunk. */
  take(): Uint8Array {
    const chunk = this.#buffer.slice(0, this.#length);
    this.#length = 0;
    return chunk;
  }

  #reserve(bytes: number): void {
    const needed = this.#length + bytes;
    if (needed <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}
